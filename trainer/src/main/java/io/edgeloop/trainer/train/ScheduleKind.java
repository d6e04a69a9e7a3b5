package io.edgeloop.trainer.train;

/** Learning-rate schedule after the linear warmup. */
public enum ScheduleKind {
    /** Cosine decay from the base rate to 0 over the remaining steps. */
    COSINE,
    /** Multiply by {@code stepGamma} every {@code stepEpochs} epochs. */
    STEP
}

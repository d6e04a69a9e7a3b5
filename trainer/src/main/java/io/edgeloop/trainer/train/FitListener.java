package io.edgeloop.trainer.train;

/**
 * Progress callbacks of the training loop (progress bars, logs), called on the training thread; an epoch is
 * reported finished once its checkpoint and metrics line are written. A {@link TrainingListener} sees more (the
 * run's context and progress, validation results) and can stop the run.
 */
public interface FitListener {

    /** Does nothing. */
    FitListener NONE = new FitListener() {
    };

    /** An epoch starts with {@code steps} steps over {@code images} images. */
    default void epochStarted(int epoch, int epochs, int steps, int images) {
    }

    /** A training step ended; figures are running means of the epoch so far. */
    default void stepFinished(int epoch, int step, int imagesSoFar, double loss, double accuracy,
                              double imagesPerSecond) {
    }

    /** An epoch (and its validation) ended. */
    default void epochFinished(EpochMetrics metrics) {
    }
}

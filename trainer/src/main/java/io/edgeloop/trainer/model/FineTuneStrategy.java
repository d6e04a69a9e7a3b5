package io.edgeloop.trainer.model;

/** How much of a pretrained network is retrained; see the three regimes in the README. */
public enum FineTuneStrategy {
    /** Only the new classifier head trains; the backbone runs in inference mode. Little data. */
    HEAD,
    /** The first layers stay frozen, the rest trains. Moderate data. */
    PARTIAL,
    /** Everything trains from the pretrained weights; the backbone with a smaller learning rate. Much data. */
    FULL,
    /** Picks HEAD, PARTIAL or FULL from the number of images per class. */
    AUTO,
    /** Same architecture, weights re-initialised: the baseline that shows what pretraining buys. */
    SCRATCH
}

package io.edgeloop.trainer.fleet;

/** What a camera's class mix is compared with. */
public enum ClassBaseline {
    /** The class mix of the model's training images. */
    TRAINING,
    /**
     * The camera's own first window with enough frames: for training sets balanced on purpose, whose mix no camera
     * is expected to match, so only change over time counts.
     */
    FIRST_WINDOW
}

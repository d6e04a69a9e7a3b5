package io.edgeloop.trainer.train;

/** How unequal class sizes are compensated. */
public enum ImbalanceHandling {
    /** Nothing: every image counts once. */
    NONE,
    /** Inverse-frequency class weights in the loss. */
    CLASS_WEIGHTS,
    /** Class-balanced sampling of each epoch (rare classes drawn as often as common ones). */
    BALANCED_SAMPLER
}

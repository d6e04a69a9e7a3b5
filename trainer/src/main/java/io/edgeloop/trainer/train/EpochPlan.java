package io.edgeloop.trainer.train;

/**
 * An epoch about to train.
 *
 * @param epoch  1-based epoch
 * @param epochs epochs of the whole run
 * @param steps  optimiser steps in this epoch
 * @param images training images in this epoch (the balanced sampler may repeat some)
 */
public record EpochPlan(int epoch, int epochs, int steps, int images) {
}

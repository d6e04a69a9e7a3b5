package io.edgeloop.trainer.train;

/**
 * A training step's figures, after its optimiser update; the loss and accuracy are running means of the epoch.
 *
 * @param epoch           1-based epoch
 * @param step            1-based step within the epoch
 * @param globalStep      optimiser steps taken in the run, this one included
 * @param images          training images of the epoch so far
 * @param loss            mean training loss of the epoch so far (as optimised: smoothing and weights included)
 * @param accuracy        training accuracy of the epoch so far
 * @param imagesPerSecond training throughput of the epoch so far
 * @param learningRate    base learning rate of this step
 */
public record StepMetrics(int epoch, int step, long globalStep, int images, double loss, double accuracy,
                          double imagesPerSecond, double learningRate) {
}

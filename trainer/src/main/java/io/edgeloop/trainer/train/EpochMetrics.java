package io.edgeloop.trainer.train;

/**
 * One epoch's figures (a line of {@code metrics.jsonl} and a point of the report's curves).
 *
 * @param epoch           1-based epoch
 * @param trainLoss       mean training loss (as optimised: smoothing and weights included)
 * @param trainAccuracy   training accuracy (on augmented images when augmentation is on)
 * @param valLoss         validation cross-entropy; NaN without validation images
 * @param valAccuracy     validation accuracy; NaN without validation images
 * @param learningRate    base learning rate of the epoch's last step
 * @param seconds         wall time of the epoch including validation
 * @param imagesPerSecond training images per second
 * @param featureCache    the head trained on cached backbone features this epoch
 * @param improved        the validation metric improved (best weights were kept)
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                           double learningRate, double seconds, double imagesPerSecond, boolean featureCache,
                           boolean improved) {
}

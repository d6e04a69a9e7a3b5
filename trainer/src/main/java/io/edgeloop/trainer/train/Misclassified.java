package io.edgeloop.trainer.train;

import java.nio.file.Path;

/**
 * A wrongly classified image, for the "worst mistakes" list.
 *
 * @param file       the image
 * @param trueLabel  its label
 * @param predicted  what the model said
 * @param confidence the model's probability for {@code predicted}
 */
public record Misclassified(Path file, String trueLabel, String predicted, double confidence) {
}

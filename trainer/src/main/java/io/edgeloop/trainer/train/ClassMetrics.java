package io.edgeloop.trainer.train;

/**
 * Per-class figures of an evaluation.
 *
 * @param label     class name
 * @param precision TP / (TP + FP); 0 when nothing was predicted as this class
 * @param recall    TP / (TP + FN); 0 when the class has no images
 * @param f1        harmonic mean of precision and recall; 0 when both are 0
 * @param support   number of images of this class
 */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
}

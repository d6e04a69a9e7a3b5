package io.edgeloop.trainer.demo;

/**
 * What the demo measured: held-out test accuracy of the first model and of the one retrained with the labelled
 * hard examples.
 */
public record DemoResult(double accuracyBefore, double accuracyAfter) {
}

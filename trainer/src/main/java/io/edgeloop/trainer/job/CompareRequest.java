package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Comparing a candidate model with a baseline on the same labelled images; validated on construction (messages
 * name the {@code trainer compare} option).
 *
 * @param baseline  the model to beat (the first {@code --model}): a model package
 * @param candidate the new model (the second {@code --model}): a model package
 * @param data      ImageFolder whose class folders are labels of both models
 * @param threads   image decoding threads
 * @param batchSize images per ONNX Runtime run when a model's batch dimension is dynamic; empty: 32
 * @param alpha     significance level of the verdict, 0 &lt; alpha &lt;= 0.5
 */
public record CompareRequest(Path baseline, Path candidate, Path data, int threads, OptionalInt batchSize,
                             double alpha) {

    /** The usual significance level. */
    public static final double DEFAULT_ALPHA = 0.05;

    public CompareRequest {
        Checks.file("--model", baseline);
        Checks.file("--model", candidate);
        Checks.directory("--data", data);
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("--alpha is " + alpha + ", allowed 0 < alpha <= 0.5 (e.g. 0.05)");
        }
    }

    /** The evaluation of one of the two models. */
    EvaluateRequest evaluation(Path model) {
        return new EvaluateRequest(model, data, threads, batchSize, 0, Optional.empty(), Optional.empty());
    }
}

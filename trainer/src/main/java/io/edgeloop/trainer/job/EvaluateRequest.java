package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Evaluating a model package (or a plain ONNX classifier) on a labelled ImageFolder; validated on construction
 * (messages name the {@code trainer evaluate} option).
 *
 * @param model         model package (ONNX + model card), or a plain ONNX classifier with {@code labels}
 * @param data          ImageFolder whose class folders are labels of the model
 * @param threads       image decoding threads
 * @param batchSize     images per ONNX Runtime run when the model's batch dimension is dynamic; empty: 32
 * @param worst         highest-confidence mistakes to keep, &gt;= 0
 * @param labels        for a plain ONNX model: a file with its class names, one per line in output order
 * @param preprocessing for a plain ONNX model: declared preprocessing; empty: torchvision's ImageNet transform
 */
public record EvaluateRequest(Path model, Path data, int threads, OptionalInt batchSize, int worst,
                              Optional<Path> labels, Optional<DeclaredPreprocessing> preprocessing) {

    /** Images per run when neither the request nor the model fixes it. */
    public static final int DEFAULT_BATCH = 32;

    public EvaluateRequest {
        Checks.file("--model", model);
        Checks.directory("--data", data);
        Checks.range("--threads", threads, 1, DecodePool.MAX_THREADS);
        batchSize.ifPresent(b -> Checks.range("--batch-size", b, 1, 4096));
        if (worst < 0) {
            throw new IllegalArgumentException("--worst is " + worst + ", allowed >= 0");
        }
        labels.ifPresent(f -> Checks.file("--labels", f));
        Objects.requireNonNull(preprocessing, "preprocessing");
    }

    /** Defaults: one decoding thread per core, batches of 32 (or the model's fixed batch), 10 worst mistakes. */
    public static EvaluateRequest of(Path model, Path data) {
        return new EvaluateRequest(model, data, DecodePool.defaultThreads(), OptionalInt.empty(), 10,
                Optional.empty(), Optional.empty());
    }
}

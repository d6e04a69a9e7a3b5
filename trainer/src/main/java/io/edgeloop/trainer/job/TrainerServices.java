package io.edgeloop.trainer.job;

import ai.djl.engine.Engine;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What the commands need from other packages, injectable for tests: how base models are loaded and, when
 * available, how trained ones are exported.
 *
 * @param networkLoader base model → trainable network
 * @param exporter      trained network → model package; empty to keep the weights in the checkpoint only
 * @param gpuCount      how many GPUs the engine sees (asked only for {@code --device gpu})
 */
public record TrainerServices(NetworkLoader networkLoader, Optional<ModelExporter> exporter, IntSupplier gpuCount) {

    public TrainerServices {
        Objects.requireNonNull(networkLoader, "networkLoader");
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(gpuCount, "gpuCount");
    }

    /** The given loader and exporter with the GPUs the engine (PyTorch) sees. */
    public TrainerServices(NetworkLoader networkLoader, Optional<ModelExporter> exporter) {
        this(networkLoader, exporter, () -> Engine.getInstance().getGpuCount());
    }

    /** The ONNX importer and the ONNX exporter (checked against ONNX Runtime). */
    public static TrainerServices defaults() {
        return new TrainerServices(new OnnxNetworkLoader(), Optional.of(new OnnxModelExporter()));
    }
}

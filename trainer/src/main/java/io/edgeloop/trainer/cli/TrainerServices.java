package io.edgeloop.trainer.cli;

import java.util.Objects;
import java.util.Optional;

/**
 * What the commands need from other packages, injectable for tests: how base models are loaded and, when
 * available, how trained ones are exported.
 *
 * @param networkLoader base model → trainable network
 * @param exporter      trained network → model package; empty to keep the weights in the checkpoint only
 */
public record TrainerServices(NetworkLoader networkLoader, Optional<ModelExporter> exporter) {

    public TrainerServices {
        Objects.requireNonNull(networkLoader, "networkLoader");
        Objects.requireNonNull(exporter, "exporter");
    }

    /** The ONNX importer and the ONNX exporter (checked against ONNX Runtime). */
    public static TrainerServices defaults() {
        return new TrainerServices(new OnnxNetworkLoader(), Optional.of(new OnnxModelExporter()));
    }
}

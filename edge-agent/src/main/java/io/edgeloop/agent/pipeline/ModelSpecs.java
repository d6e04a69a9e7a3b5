package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.inference.ModelSpec;
import java.nio.file.Path;

/**
 * Resolves what the agent needs to know about its model. Today from the config's model section; the model card
 * inside the ONNX file takes over once the shared {@code io.edgeloop.protocol.model} package is available.
 */
public final class ModelSpecs {

    private ModelSpecs() {
    }

    public static ModelSpec resolve(ModelConfig config) throws ConfigException {
        Path onnx = Path.of(config.path());
        if (config.labels().size() < 2) {
            throw new ConfigException("model.labels has " + config.labels().size() + " entries; " + onnx
                    + " needs its class labels listed in the config (at least 2, in output order)");
        }
        String version = config.version() != null ? config.version() : onnx.getFileName().toString();
        try {
            return new ModelSpec(onnx, config.labels(), config.preprocess(), null, config.outputName(),
                    config.outputKind(), config.temperature(), version);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model: " + e.getMessage(), e);
        }
    }
}

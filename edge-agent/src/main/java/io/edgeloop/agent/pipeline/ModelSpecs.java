package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves what the agent needs to know about its model from the model package: the card inside the ONNX file
 * (labels, input, preprocessing, output, temperature, per-class thresholds, version) wins; a plain ONNX file
 * without a card is accepted when the config lists its labels (with the config's preprocessing and output kind).
 */
public final class ModelSpecs {

    private ModelSpecs() {
    }

    public static ModelSpec resolve(ModelConfig config) throws ConfigException, ModelLoadException {
        Path onnx = Path.of(config.path());
        if (!Files.isRegularFile(onnx)) {
            throw new ConfigException("model.path is '" + onnx + "': no such file, allowed an ONNX model package"
                    + " (or --model FILE on the command line)");
        }
        ModelPackage pkg;
        try {
            if (hasCard(onnx)) {
                pkg = ModelPackage.read(onnx, ReadOptions.DEFAULT);
            } else {
                if (config.labels().size() < 2) {
                    throw new ConfigException("model.labels has " + config.labels().size() + " entries, but " + onnx
                            + " has no model card: list its class labels in the config (at least 2, in output order)");
                }
                pkg = ModelPackage.readPlain(onnx, config.labels(), config.preprocess(), config.outputKind(),
                        ReadOptions.DEFAULT);
            }
        } catch (ModelPackageException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        ModelCard card = pkg.card();
        String version = card.version();
        if (!pkg.cardEmbedded() && config.version() != null) {
            version = config.version();
        }
        double temperature = pkg.cardEmbedded() ? card.temperature() : config.temperature();
        return new ModelSpec(onnx, card.name(), version, pkg.sha256(), card.labels(), card.preprocessing(),
                card.input().name(), card.output().name(), card.output().kind(), temperature,
                card.thresholds() == null ? Map.of() : card.thresholds().perClass());
    }

    /** Whether the file's ONNX metadata carries a model card. */
    private static boolean hasCard(Path onnx) throws ModelLoadException {
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(onnx))) {
            return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(in).getMetadataPropsList().stream()
                    .anyMatch(p -> ModelCard.METADATA_KEY.equals(p.getKey()));
        } catch (IOException e) {
            throw new ModelLoadException(onnx + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
    }
}

package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model card inside the ONNX file drives the agent; the config describes only card-less files. */
class ModelSpecsTest {

    @TempDir
    Path tmp;

    @Test
    void theCardInTheFileWinsOverTheConfig() throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        ModelCard card = ModelCard.builder().setName("colour").setVersion("2026.11.28-1")
                .setCreated(Instant.parse("2026-11-28T18:00:00Z")).setLabels(List.of("red", "green", "blue"))
                .setInput(new InputSpec("input", List.of(1L, 3L, (long) ColourModel.SIZE,
                        (long) ColourModel.SIZE))).setPreprocessing(ColourModel.PREPROCESS)
                .setOutput(OutputSpec.logits("logits")).optTemperature(2.0).build();
        Path packaged = tmp.resolve("packaged.onnx");
        ModelPackage.write(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain)), card, packaged);
        ModelConfig config = new ModelConfig(packaged.toString(), List.of("x", "y"), PreprocessSpec.IMAGENET_224,
                OutputKind.PROBABILITIES, null, 1.0, "ignored");
        ModelSpec spec = ModelSpecs.resolve(config);
        assertEquals(List.of("red", "green", "blue"), spec.labels());
        assertEquals("colour", spec.name());
        assertEquals("2026.11.28-1", spec.version());
        assertEquals(2.0, spec.temperature());
        assertEquals(OutputKind.LOGITS, spec.outputKind());
        assertEquals(ColourModel.PREPROCESS, spec.preprocess());
        assertEquals("input", spec.inputName());
        assertEquals("logits", spec.outputName());
        assertEquals(64, spec.sha256().length());
    }

    @Test
    void aPlainFileUsesTheConfigsDescription() throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), true);
        ModelSpec spec = ModelSpecs.resolve(new ModelConfig(plain.toString(), ColourModel.LABELS,
                ColourModel.PREPROCESS, OutputKind.PROBABILITIES, null, null, "v7"));
        assertEquals(ColourModel.LABELS, spec.labels());
        assertEquals("v7", spec.version());
        assertEquals(OutputKind.PROBABILITIES, spec.outputKind());
        assertEquals("probabilities", spec.outputName());
    }

    @Test
    void aPlainFileWithoutLabelsIsAConfigError() throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        ConfigException e = assertThrows(ConfigException.class, () -> ModelSpecs.resolve(new ModelConfig(
                plain.toString(), null, ColourModel.PREPROCESS, null, null, null, null)));
        assertEquals("model.labels has 0 entries, but " + plain + " has no model card: list its class labels in the "
                + "config (at least 2, in output order)", e.getMessage());
    }

    @Test
    void labelsThatDoNotFitTheGraphAreNamed() throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelSpecs.resolve(new ModelConfig(
                plain.toString(), List.of("a", "b"), ColourModel.PREPROCESS, null, null, null, null)));
        assertTrue(e.getMessage().startsWith(plain + ": "), e.getMessage());
    }

    @Test
    void notAnOnnxFileIsNamed() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "this is not protobuf at all, just text");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelSpecs.resolve(new ModelConfig(
                junk.toString(), List.of("a", "b"), ColourModel.PREPROCESS, null, null, null, null)));
        assertTrue(e.getMessage().startsWith(junk + ": "), e.getMessage());
    }
}

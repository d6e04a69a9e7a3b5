package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.config.InferenceConfig;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.hard.HardExampleSelector;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.model.ClassThresholds;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration a model card carries reaches the agent's decisions: the temperature divides the logits ONNX
 * Runtime computes, exactly once, and the card's per-class thresholds apply unless the config overrides them.
 */
class CardCalibrationTest {

    @TempDir
    Path tmp;

    /** The colour model (logits 10 × channel means) packaged with temperature 2 and thresholds for red and blue. */
    Path calibratedPackage() throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        ModelCard card = ModelCard.builder().setName("colour").setVersion("2").setCreated(Instant.parse(
                        "2026-12-07T12:00:00Z")).setLabels(ColourModel.LABELS)
                .setInput(new InputSpec("input", List.of(1L, 3L, (long) ColourModel.SIZE, (long) ColourModel.SIZE)))
                .setPreprocessing(ColourModel.PREPROCESS).setOutput(OutputSpec.logits("logits")).optTemperature(2.0)
                .optThresholds(new ClassThresholds(0.9, Map.of("red", 0.9, "blue", 0.4))).build();
        Path packaged = tmp.resolve("calibrated.onnx");
        ModelPackage.write(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain)), card, packaged);
        return packaged;
    }

    static float[] logits(ModelRuntime runtime, Color colour) throws Exception {
        try (InferenceContext ctx = runtime.newContext()) {
            ctx.input().clear();
            new ImagePreprocessor(ColourModel.PREPROCESS).preprocess(new ImageDecoder(DecodeLimits.DEFAULT)
                    .decode(Images.solid(colour, 40, 30, "png"), "frame"), ctx.input());
            return ctx.run().clone();
        }
    }

    static Postprocessor postprocessor(ModelSpec spec, InferenceConfig inference) {
        return new Postprocessor(spec.labels(), spec.outputKind(), spec.temperature(), 3, inference.minConfidence(),
                inference.thresholdsFor(spec.thresholds()));
    }

    @Test
    void scoresAreTheSoftmaxOfTheRuntimesLogitsOverTheCardsTemperature() throws Exception {
        ModelSpec spec = ModelSpecs.resolve(new ModelConfig(calibratedPackage().toString(), null, null, null, null,
                null, null));
        assertEquals(2.0, spec.temperature());
        assertEquals(Map.of("red", 0.9, "blue", 0.4), spec.thresholds());
        try (ModelRuntime runtime = ModelRuntime.open(spec, 1, Optimization.ALL)) {
            // channel means 0.8, 0.6, 0 (204/255, 153/255): logits 8, 6, 0
            float[] logits = logits(runtime, new Color(204, 153, 0));
            assertEquals(8, logits[0], 1e-4);
            assertEquals(6, logits[1], 1e-4);
            Classification c = postprocessor(spec, InferenceConfig.DEFAULT).apply(logits);
            // softmax([8, 6, 0] / 2) = e^4 / (e^4 + e^3 + 1); with the temperature applied twice it would be
            // softmax([2, 1.5, 0]), without it softmax([8, 6, 0]) = 0.8805
            double expected = Math.exp(4) / (Math.exp(4) + Math.exp(3) + 1);
            assertEquals(expected, c.score(), 1e-5);
            assertEquals(0.7214, c.score(), 1e-4);
            assertEquals("red", c.topLabel());
            assertEquals(Postprocessor.UNKNOWN, c.label(), "0.72 is below the card's red threshold 0.9");
            assertEquals(0.9, c.threshold());
        }
    }

    @Test
    void theConfigOverridesTheCardClassByClassOrSwitchesItOff() throws Exception {
        ModelSpec spec = ModelSpecs.resolve(new ModelConfig(calibratedPackage().toString(), null, null, null, null,
                null, null));
        float[] logits = {8, 6, 0};
        InferenceConfig override = new InferenceConfig(null, null, null, null, 0.3, Map.of("red", 0.7));
        Classification c = postprocessor(spec, override).apply(logits);
        assertEquals("red", c.label(), "the config's red 0.7 replaces the card's 0.9");
        assertEquals(0.7, c.threshold());
        assertEquals(Map.of("red", 0.7, "blue", 0.4), override.thresholdsFor(spec.thresholds()));
        InferenceConfig off = new InferenceConfig(null, null, null, null, 0.3, Map.of(), false);
        assertEquals(Map.of(), off.thresholdsFor(spec.thresholds()));
        Classification plain = postprocessor(spec, off).apply(logits);
        assertEquals("red", plain.label());
        assertEquals(0.3, plain.threshold(), "only minConfidence is left");
        // green has no card threshold: minConfidence applies
        Classification green = postprocessor(spec, new InferenceConfig(null, null, null, null, 0.8, null))
                .apply(new float[] {0, 4, 0});
        assertEquals(0.8, green.threshold());
    }

    @Test
    void modelThresholdsIsReadFromTheConfigFileAndDefaultsToTrue() throws Exception {
        String base = """
                deviceId: dev1
                model:
                  path: /m.onnx
                  labels: [a, b]
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: /frames
                mqtt:
                  broker: tcp://localhost:1883
                """;
        AgentConfig defaults = new ConfigLoader().parse(base, "t.yaml");
        assertTrue(defaults.inference().modelThresholds());
        AgentConfig off = new ConfigLoader().parse(base + "inference:\n  modelThresholds: false\n", "t.yaml");
        assertFalse(off.inference().modelThresholds());
    }

    @Test
    void aDecisionBelowItsClassThresholdIsALowConfidenceHardExample() {
        // 0.72 is above maxConfidence 0.6 and the margin 0.45 above minMargin 0.1: only the threshold makes it hard
        Classification below = new Classification(Postprocessor.UNKNOWN, 0.72, 0.45,
                List.of(new Classification.Ranked("red", 0.72), new Classification.Ranked("green", 0.27)), 0.9, 0.5);
        HardExampleSelector selector = new HardExampleSelector(new HardExamplesConfig(true, 0.6, 0.1, null, null,
                null, null, null, null, null), "front");
        HardExampleSelector.Choice chosen = selector.accept(selector.fired(below), () -> 0L, 0L);
        assertEquals(HardExampleReason.LOW_CONFIDENCE, chosen.reason());
        Classification above = new Classification("red", 0.72, 0.45, below.top(), 0.7, 0.5);
        assertEquals(0, selector.fired(above));
    }
}

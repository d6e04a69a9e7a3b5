package io.edgeloop.agent.inference;

import io.edgeloop.protocol.model.OutputKind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.agent.testing.Images;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRuntimeTest {

    @TempDir
    Path tmp;

    private ModelSpec spec(Path onnx, OutputKind kind) {
        return new ModelSpec(onnx, "colour", "test-1", null, ColourModel.LABELS, ColourModel.PREPROCESS, null, null,
                kind, 1.0);
    }

    private float[] scores(ModelRuntime runtime, Color colour) throws Exception {
        try (InferenceContext ctx = runtime.newContext()) {
            ImagePreprocessor pre = new ImagePreprocessor(ColourModel.PREPROCESS);
            ctx.input().clear();
            pre.preprocess(new ImageDecoder(DecodeLimits.DEFAULT).decode(Images.solid(colour, 40, 30, "png"), "t"),
                    ctx.input());
            return ctx.run().clone();
        }
    }

    @Test
    void runsTheModelThroughPreallocatedTensors() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), false);
        try (ModelRuntime runtime = ModelRuntime.open(spec(onnx, OutputKind.LOGITS), 1, Optimization.ALL)) {
            assertEquals("input", runtime.inputName());
            assertEquals("logits", runtime.outputName());
            assertArrayEquals(new float[] {10, 0, 0}, scores(runtime, Color.RED), 1e-4f);
            assertArrayEquals(new float[] {0, 10, 0}, scores(runtime, Color.GREEN), 1e-4f);
            // the same context reused frame after frame
            try (InferenceContext ctx = runtime.newContext()) {
                ImagePreprocessor pre = new ImagePreprocessor(ColourModel.PREPROCESS);
                ImageDecoder dec = new ImageDecoder(DecodeLimits.DEFAULT);
                for (Color c : List.of(Color.BLUE, Color.RED, Color.BLUE)) {
                    ctx.input().clear();
                    pre.preprocess(dec.decode(Images.solid(c, 40, 30, "png"), "t"), ctx.input());
                    float[] s = ctx.run();
                    int best = s[0] > s[1] && s[0] > s[2] ? 0 : s[1] > s[2] ? 1 : 2;
                    assertEquals(c == Color.RED ? 0 : 2, best);
                }
            }
        }
    }

    @Test
    void classifiesWithPostprocessing() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), true);
        try (ModelRuntime runtime = ModelRuntime.open(spec(onnx, OutputKind.PROBABILITIES), 1, Optimization.BASIC)) {
            Postprocessor post = new Postprocessor(ColourModel.LABELS, OutputKind.PROBABILITIES, 1, 2, 0.5, Map.of());
            Classification c = post.apply(scores(runtime, new Color(0, 0, 200)));
            assertEquals("blue", c.label());
            assertEquals(2, c.top().size());
            Classification grey = post.apply(scores(runtime, Color.GRAY));
            assertEquals(Postprocessor.UNKNOWN, grey.label());
            assertEquals(1.0 / 3, grey.score(), 1e-5);
        }
    }

    @Test
    void rejectsAModelWhoseInputDoesNotMatchThePreprocessing() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour64.onnx"), false, 64);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelRuntime.open(spec(onnx, OutputKind.LOGITS), 1, Optimization.ALL));
        assertEquals(onnx + ": input 'input' has shape [1, 3, 64, 64], expected [1, 3, 32, 32] (NCHW, crop size "
                + "from the preprocessing)", e.getMessage());
    }

    @Test
    void rejectsAModelWithAnotherNumberOfClasses() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), false);
        ModelSpec four = new ModelSpec(onnx, "colour", "v", null, List.of("a", "b", "c", "d"),
                ColourModel.PREPROCESS, null, null, OutputKind.LOGITS, 1.0);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelRuntime.open(four, 1, Optimization.ALL));
        assertEquals(onnx + ": output 'logits' has shape [1, 3], expected [1, 4] (one score per label, 4 labels)",
                e.getMessage());
    }

    @Test
    void namesTheValidChoicesForAnUnknownOutput() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), false);
        ModelSpec spec = new ModelSpec(onnx, "colour", "v", null, ColourModel.LABELS,
                ColourModel.PREPROCESS, null, "scores", OutputKind.LOGITS, 1.0);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelRuntime.open(spec, 1, Optimization.ALL));
        assertEquals("unknown output name 'scores', expected one of [logits]", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope.onnx");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelRuntime.open(spec(missing, OutputKind.LOGITS), 1, Optimization.ALL));
        assertEquals(missing + ": model file not found", e.getMessage());
    }
}

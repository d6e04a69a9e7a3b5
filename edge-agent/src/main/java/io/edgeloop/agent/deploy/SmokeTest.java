package io.edgeloop.agent.deploy;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Runs a freshly loaded model before it may serve: one inference on an all-zeros input and one on each recent real
 * frame (preprocessed the new model's way). Every output must be finite and hold one score per card label (the
 * output tensor is sized from the card, so ONNX Runtime refuses another length).
 */
public final class SmokeTest {

    private final ImageDecoder decoder;

    public SmokeTest(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Tests the runtime.
     *
     * @param frames recent real frames (may be empty); a frame that does not decode is skipped
     * @return how many inferences ran
     * @throws DeployRejectedException naming the input and the bad output
     */
    public int run(ModelRuntime runtime, List<Frame> frames) throws DeployRejectedException {
        int labels = runtime.spec().labels().size();
        int runs = 0;
        try (InferenceContext context = runtime.newContext()) {
            FloatBuffer input = context.input();
            input.clear();
            while (input.hasRemaining()) {
                input.put(0f);
            }
            check(context.run(), labels, "a zeros input");
            runs++;
            ImagePreprocessor pre = new ImagePreprocessor(runtime.spec().preprocess());
            for (Frame f : frames) {
                input.clear();
                try {
                    if (f.encoded() != null) {
                        pre.preprocess(decoder.decode(f.encoded(), "smoke-test/" + f.name()), input);
                    } else {
                        pre.preprocessRgb(f.rgb(), f.width(), f.height(), input);
                    }
                } catch (ImageRejectedException e) {
                    continue;
                }
                check(context.run(), labels, "the last frame of camera " + f.cameraId());
                runs++;
            }
        } catch (OrtException e) {
            throw new DeployRejectedException("smoke test failed: ONNX Runtime cannot run the model ("
                    + e.getMessage() + ")", e);
        }
        return runs;
    }

    private static void check(float[] scores, int labels, String input) throws DeployRejectedException {
        if (scores.length != labels) {
            throw new DeployRejectedException("smoke test failed: " + scores.length + " scores on " + input
                    + ", expected " + labels + " (one per card label)");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new DeployRejectedException("smoke test failed: score " + i + " is " + scores[i] + " on "
                        + input + ", allowed a finite number");
            }
        }
    }
}

package io.edgeloop.agent.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One worker's preallocated tensors: a direct native-order input buffer wrapped once by an {@link OnnxTensor}
 * (ORT reads it in place) and a pinned output tensor ORT writes into, so a frame allocates no tensors. Not
 * thread-safe; owned and closed by one worker.
 */
public final class InferenceContext implements AutoCloseable {

    private final OrtSession session;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final float[] scores;

    InferenceContext(OrtEnvironment env, OrtSession session, String inputName, String outputName, long[] inputShape,
            int classes) throws OrtException {
        this.session = session;
        int length = (int) (inputShape[0] * inputShape[1] * inputShape[2] * inputShape[3]);
        input = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        output = ByteBuffer.allocateDirect(classes * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OnnxTensor in = OnnxTensor.createTensor(env, input, inputShape);
        try {
            outputTensor = OnnxTensor.createTensor(env, output, new long[] {1, classes});
        } catch (OrtException | RuntimeException e) {
            in.close();
            throw e;
        }
        inputTensor = in;
        inputs = Map.of(inputName, inputTensor);
        outputs = Map.of(outputName, outputTensor);
        scores = new float[classes];
    }

    /** The input buffer to fill (position 0, NCHW floats); callers clear it before writing. */
    public FloatBuffer input() {
        return input;
    }

    /**
     * Runs the model on the current input buffer contents.
     *
     * @return the raw output scores; the array is reused by the next call
     */
    public float[] run() throws OrtException {
        try (OrtSession.Result ignored = session.run(inputs, outputs)) {
            output.get(0, scores);
        }
        return scores;
    }

    @Override
    public void close() {
        inputTensor.close();
        outputTensor.close();
    }
}

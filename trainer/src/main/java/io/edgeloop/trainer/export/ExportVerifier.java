package io.edgeloop.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks an export: runs ONNX Runtime on the exported model and DJL on the network over the same seeded random
 * batches and reports the largest absolute difference of the probabilities (and logits). The caller fails loudly
 * above {@link #TOLERANCE}. Batches have different sizes, so the dynamic batch dimension is exercised too.
 */
public final class ExportVerifier {

    /** Largest acceptable probability difference. */
    public static final double TOLERANCE = 1e-4;

    /** At least this many images are compared. */
    public static final int MIN_IMAGES = 32;

    private ExportVerifier() {
    }

    /**
     * Outcome of a verification.
     *
     * @param maxProbabilityDiff max |ORT − DJL| over all probabilities
     * @param maxLogitDiff max |ORT − DJL| over all logits
     * @param maxAbsLogit max |logit| seen (puts the logit difference in scale)
     * @param images images compared
     */
    public record Result(double maxProbabilityDiff, double maxLogitDiff, double maxAbsLogit, int images) {

        /** True when the probabilities agree within {@link #TOLERANCE}. */
        public boolean passed() {
            return maxProbabilityDiff <= TOLERANCE;
        }

        @Override
        public String toString() {
            return String.format("export check on %d images: max |ORT − DJL| probabilities %.3g, logits %.3g"
                    + " (max |logit| %.3g) %s", images, maxProbabilityDiff, maxLogitDiff, maxAbsLogit,
                    passed() ? "ok" : "ABOVE " + TOLERANCE);
        }
    }

    /**
     * Checks the export on {@link #MIN_IMAGES} random images and returns the figures; a disagreement or a graph ONNX
     * Runtime cannot run is a failure, so nothing disagreeing with the trained network is ever written.
     *
     * @param what what is being exported, for the messages ("model", "base model")
     */
    public static Result requirePassing(OnnxMl.ModelProto exported, OnnxClassifierNetwork net, long seed,
                                        String what) {
        Result check;
        try {
            check = verify(exported, net, MIN_IMAGES, seed);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot run the exported " + what + ": " + e.getMessage(), e);
        }
        if (!check.passed()) {
            throw new IllegalStateException("the exported " + what + " disagrees with the trained network (" + check
                    + "); nothing was written");
        }
        return check;
    }

    /**
     * @param images number of random images (at least {@link #MIN_IMAGES}), compared in batches of up to 16
     * @param seed seeds the images
     */
    public static Result verify(OnnxMl.ModelProto exported, OnnxClassifierNetwork net, int images, long seed)
            throws OrtException {
        if (images < MIN_IMAGES) {
            throw new IllegalArgumentException("images is " + images + ", must be at least " + MIN_IMAGES);
        }
        int size = net.imageSize();
        SplittableRandom random = new SplittableRandom(seed);
        double maxProb = 0;
        double maxLogit = 0;
        double maxAbsLogit = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(exported.toByteArray(), options);
                    NDManager manager = NDManager.newBaseManager("PyTorch")) {
                String inputName = session.getInputNames().iterator().next();
                int done = 0;
                int batchNo = 0;
                while (done < images) {
                    // 16, 15, 16, 15, …: two batch sizes so a hard-coded batch dim shows up
                    int n = Math.min(images - done, batchNo % 2 == 0 ? 16 : 15);
                    float[] nchw = new float[n * 3 * size * size];
                    for (int i = 0; i < nchw.length; i++) {
                        nchw[i] = (float) gaussian(random);
                    }
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray x = batch.create(nchw, new Shape(n, 3, size, size));
                        NDArray logits = net.block().forward(new ParameterStore(batch, false), new NDList(x), false)
                                .singletonOrThrow();
                        float[] djlLogits = logits.toFloatArray();
                        for (float v : djlLogits) {
                            maxAbsLogit = Math.max(maxAbsLogit, Math.abs(v));
                        }
                        float[] djlProbs = logits.softmax(1).toFloatArray();
                        long[] shape = {n, 3, size, size}; // exported packages are N×C×H×W, NHWC bases too
                        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
                                OrtSession.Result r = session.run(Map.of(inputName, t))) {
                            float[] ortLogits = values(r, OnnxExporter.LOGITS);
                            float[] ortProbs = values(r, OnnxExporter.PROBABILITIES);
                            maxLogit = Math.max(maxLogit, maxAbsDiff(ortLogits, djlLogits));
                            maxProb = Math.max(maxProb, maxAbsDiff(ortProbs, djlProbs));
                        }
                    }
                    done += n;
                    batchNo++;
                }
            }
        }
        return new Result(maxProb, maxLogit, maxAbsLogit, images);
    }

    private static float[] values(OrtSession.Result r, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException(
                "exported model has no output '" + name + "'"));
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

package io.edgeloop.trainer.quantize;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Calibrates activation ranges: runs the folded float model in ONNX Runtime over the calibration images with the
 * planned tensors exposed as extra graph outputs and feeds every value into one {@link ActivationHistogram} per
 * tensor: a min/max pass, then (except for {@link RangeMethod#MINMAX}) a histogram pass over the same images.
 * A planned tensor that ONNX Runtime reports as other than float (a shape computation) is dropped from the result.
 */
public final class Calibrator {

    /** One batch of preprocessed images, N×C×H×W floats. */
    public record Images(FloatBuffer pixels, long[] shape) {
    }

    /** One pass over the calibration images; closed when the pass ends (or fails). */
    public interface Pass extends Iterator<Images>, AutoCloseable {
        @Override
        void close();
    }

    private Calibrator() {
    }

    /**
     * The range of each tensor in {@code tensors} after the given method.
     *
     * @param model   the folded float model (BatchNormalization already in the Convs)
     * @param images  a fresh pass over the calibration images each time it is called
     */
    public static Map<String, TensorRange> calibrate(OnnxMl.ModelProto model, String inputName, List<String> tensors,
                                                     Supplier<Pass> images, RangeMethod method)
            throws OrtException {
        Set<String> outputs = new HashSet<>();
        model.getGraph().getOutputList().forEach(v -> outputs.add(v.getName()));
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        List<String> tapped = new ArrayList<>();
        for (String t : tensors) {
            if (!outputs.contains(t)) {
                // no type or shape: ONNX Runtime infers both; a non-float tensor shows up as such and is dropped
                g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(t));
                tapped.add(t);
            }
        }
        byte[] tappedModel = model.toBuilder().setGraph(g).build().toByteArray();
        Map<String, ActivationHistogram> stats = new LinkedHashMap<>();
        tensors.forEach(t -> stats.put(t, new ActivationHistogram()));
        Set<String> notFloat = new HashSet<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // no graph rewriting: every tapped tensor must exist as the float graph computes it
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(tappedModel, options)) {
                run(session, env, inputName, tensors, images, stats, notFloat, true);
                if (method != RangeMethod.MINMAX) {
                    for (String t : tensors) {
                        if (!notFloat.contains(t)) {
                            stats.get(t).freeze();
                        }
                    }
                    run(session, env, inputName, tensors, images, stats, notFloat, false);
                }
            }
        }
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        for (String t : tensors) {
            if (!notFloat.contains(t)) {
                ranges.put(t, stats.get(t).range(method));
            }
        }
        return ranges;
    }

    private static void run(OrtSession session, OrtEnvironment env, String inputName, List<String> tensors,
                            Supplier<Pass> images, Map<String, ActivationHistogram> stats,
                            Set<String> notFloat, boolean rangePass) throws OrtException {
        int batches = 0;
        try (Pass it = images.get()) {
            batches = runPass(session, env, inputName, tensors, it, stats, notFloat, rangePass);
        }
        if (batches == 0) {
            throw new IllegalArgumentException("no calibration images: allowed at least one readable image");
        }
    }

    private static int runPass(OrtSession session, OrtEnvironment env, String inputName, List<String> tensors,
                               Pass it, Map<String, ActivationHistogram> stats, Set<String> notFloat,
                               boolean rangePass) throws OrtException {
        int batches = 0;
        while (it.hasNext()) {
            Images batch = it.next();
            try (OnnxTensor input = OnnxTensor.createTensor(env, batch.pixels(), batch.shape());
                 OrtSession.Result result = session.run(Map.of(inputName, input), new HashSet<>(tensors))) {
                for (String t : tensors) {
                    if (notFloat.contains(t)) {
                        continue;
                    }
                    OnnxValue value = result.get(t).orElseThrow(() -> new IllegalStateException(
                            "ONNX Runtime did not return tapped tensor '" + t + "'"));
                    if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
                        notFloat.add(t);
                        continue;
                    }
                    FloatBuffer values = tensor.getFloatBuffer();
                    if (rangePass) {
                        stats.get(t).observeRange(values);
                    } else {
                        stats.get(t).observeValues(values);
                    }
                }
            }
            batches++;
        }
        return batches;
    }
}

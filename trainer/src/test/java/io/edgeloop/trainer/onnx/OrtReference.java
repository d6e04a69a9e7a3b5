package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test support: runs a model with ONNX Runtime Java (the reference) and builds seeded random inputs. */
final class OrtReference {

    static final Path FIXTURES = Paths.get("src", "test", "resources", "onnx");

    private OrtReference() {
    }

    /** A float tensor as values + shape. */
    record Tensor(float[] values, long[] shape) {

        NDArray toNDArray(NDManager manager) {
            return manager.create(values, new Shape(shape));
        }

        static Tensor of(NDArray a) {
            return new Tensor(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                    a.getShape().getShape());
        }
    }

    /** Runs the model on ORT; returns every graph output in order. */
    static List<Tensor> run(OnnxMl.ModelProto model, List<Tensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), opts)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    List<String> names = new ArrayList<>(session.getInputNames());
                    // session input order is not guaranteed: use the graph's order
                    List<String> graphInputs = new ArrayList<>();
                    for (OnnxMl.ValueInfoProto v : model.getGraph().getInputList()) {
                        if (names.contains(v.getName())) {
                            graphInputs.add(v.getName());
                        }
                    }
                    for (int i = 0; i < inputs.size(); i++) {
                        Tensor t = inputs.get(i);
                        String name = graphInputs.get(i);
                        ai.onnxruntime.TensorInfo info = (ai.onnxruntime.TensorInfo) session.getInputInfo().get(name)
                                .getInfo();
                        // float16 inputs (old zoo files) take the values rounded to half precision
                        feed.put(name, info.type == ai.onnxruntime.OnnxJavaType.FLOAT16
                                ? OnnxTensor.createTensor(env, Fp16Conversions.convertFloatBufferToFp16Buffer(
                                        FloatBuffer.wrap(t.values())), t.shape(), ai.onnxruntime.OnnxJavaType.FLOAT16)
                                : OnnxTensor.createTensor(env, FloatBuffer.wrap(t.values()), t.shape()));
                    }
                    List<Tensor> out = new ArrayList<>();
                    try (OrtSession.Result r = session.run(feed)) {
                        for (Map.Entry<String, OnnxValue> e : r) {
                            OnnxTensor t = (OnnxTensor) e.getValue();
                            long[] shape = t.getInfo().getShape();
                            float[] values;
                            switch (t.getInfo().type) {
                                case FLOAT:
                                case FLOAT16:
                                    FloatBuffer fb = t.getFloatBuffer();
                                    values = new float[fb.remaining()];
                                    fb.get(values);
                                    break;
                                case INT64:
                                    long[] l = new long[t.getLongBuffer().remaining()];
                                    t.getLongBuffer().get(l);
                                    values = new float[l.length];
                                    for (int i = 0; i < l.length; i++) {
                                        values[i] = l[i];
                                    }
                                    break;
                                default:
                                    throw new IllegalStateException("unexpected output type " + t.getInfo().type);
                            }
                            out.add(new Tensor(values, shape));
                        }
                    }
                    return out;
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    /** Seeded standard-normal inputs for the graph's (static) input shapes; {@code batch} replaces symbolic dims. */
    static List<Tensor> randomInputs(OnnxMl.ModelProto model, long seed, long batch, boolean positive) {
        Random random = new Random(seed);
        List<Tensor> list = new ArrayList<>();
        java.util.Set<String> inits = new java.util.HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        for (OnnxMl.ValueInfoProto v : model.getGraph().getInputList()) {
            if (inits.contains(v.getName())) {
                continue;
            }
            OnnxMl.TensorShapeProto s = v.getType().getTensorType().getShape();
            long[] shape = new long[s.getDimCount()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.getDim(i).hasDimValue() && s.getDim(i).getDimValue() > 0 ? s.getDim(i).getDimValue()
                        : batch;
                n *= shape[i];
            }
            float[] values = new float[(int) n];
            for (int i = 0; i < values.length; i++) {
                float g = (float) random.nextGaussian();
                values[i] = positive ? 0.1f + Math.abs(g) : g;
            }
            list.add(new Tensor(values, shape));
        }
        return list;
    }

    /** Max |a − b|; shapes must match; NaN in only one of them is infinite difference. */
    static double maxAbsDiff(Tensor expected, Tensor actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shape " + java.util.Arrays.toString(actual.shape()) + " differs from ORT's "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double max = 0;
        for (int i = 0; i < expected.values().length; i++) {
            float a = expected.values()[i];
            float b = actual.values()[i];
            if (Float.isNaN(a) || Float.isNaN(b)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, Math.abs(a - b));
        }
        return max;
    }

    /** Runs the whole graph with DJL (inference) on the given inputs. */
    static List<Tensor> runDjl(OnnxMl.ModelProto model, List<Tensor> inputs, NDManager manager) {
        OnnxGraph graph = OnnxGraph.of(model);
        try (NDManager owner = manager.newSubManager(); NDManager batch = manager.newSubManager()) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph, graph.outputNames(), owner, false);
            NDList in = new NDList();
            for (Tensor t : inputs) {
                in.add(t.toNDArray(batch));
            }
            NDList out = block.forward(new ai.djl.training.ParameterStore(batch, false), in, false, null);
            List<Tensor> list = new ArrayList<>();
            for (NDArray a : out) {
                list.add(Tensor.of(a));
            }
            return list;
        }
    }
}

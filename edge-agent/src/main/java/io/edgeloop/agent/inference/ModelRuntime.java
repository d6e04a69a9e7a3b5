package io.edgeloop.agent.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One ONNX Runtime session for a model, shared by all cameras ({@code OrtSession.run} is thread-safe). Checks at
 * load that the graph matches the spec (one float NCHW input of the crop size, an output with one score per label)
 * so a mismatched model fails at start, not on the first frame. Each worker thread gets its own
 * {@link InferenceContext} with preallocated tensors.
 */
public final class ModelRuntime implements AutoCloseable {

    private final ModelSpec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long[] inputShape;

    private ModelRuntime(ModelSpec spec, OrtEnvironment env, OrtSession session, String inputName,
            String outputName, long[] inputShape) {
        this.spec = spec;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.inputShape = inputShape;
    }

    /**
     * Opens the model.
     *
     * @param intraOpThreads ORT intra-op thread count
     * @param optimization   graph optimisation level
     */
    public static ModelRuntime open(ModelSpec spec, int intraOpThreads, Optimization optimization)
            throws ModelLoadException {
        return open(spec, new SessionSettings(intraOpThreads, optimization, false));
    }

    /**
     * Opens the model as {@link #open(ModelSpec, int, Optimization)} does, with every session setting given.
     */
    public static ModelRuntime open(ModelSpec spec, SessionSettings settings) throws ModelLoadException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(settings, "settings");
        if (!Files.isRegularFile(spec.onnx())) {
            throw new ModelLoadException(spec.onnx() + ": model file not found");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(settings.optimization().ortLevel());
            options.addConfigEntry("session.intra_op.allow_spinning", settings.spinWait() ? "1" : "0");
            session = env.createSession(spec.onnx().toString(), options);
            String input = pick("input", spec.inputName(), session.getInputInfo());
            String output = pick("output", spec.outputName(), session.getOutputInfo());
            long[] shape = checkInput(spec, input, session.getInputInfo().get(input));
            checkOutput(spec, output, session.getOutputInfo().get(output));
            ModelRuntime runtime = new ModelRuntime(spec, env, session, input, output, shape);
            session = null;
            return runtime;
        } catch (OrtException e) {
            throw new ModelLoadException(spec.onnx() + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        } finally {
            if (session != null) {
                closeQuietly(session);
            }
        }
    }

    private static String pick(String what, String wanted, Map<String, NodeInfo> infos) throws ModelLoadException {
        if (wanted != null) {
            if (!infos.containsKey(wanted)) {
                throw new ModelLoadException("unknown " + what + " name '" + wanted + "', expected one of "
                        + infos.keySet());
            }
            return wanted;
        }
        if (what.equals("input") && infos.size() != 1) {
            throw new ModelLoadException("model has " + infos.size() + " inputs " + infos.keySet()
                    + ", name the one to feed");
        }
        return infos.keySet().iterator().next();
    }

    private static long[] checkInput(ModelSpec spec, String name, NodeInfo info) throws ModelLoadException {
        int size = spec.preprocess().cropSize();
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new ModelLoadException(spec.onnx() + ": input '" + name + "' is " + info.getInfo()
                    + ", expected a float tensor [1,3," + size + "," + size + "]");
        }
        long[] shape = t.getShape();
        long[] expected = {1, 3, size, size};
        if (shape.length != 4) {
            throw new ModelLoadException(spec.onnx() + ": input '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected [1, 3, " + size + ", " + size + "] (NCHW)");
        }
        for (int i = 0; i < 4; i++) {
            // negative dimensions are symbolic (batch, or dynamic spatial size)
            if (shape[i] >= 0 && shape[i] != expected[i]) {
                throw new ModelLoadException(spec.onnx() + ": input '" + name + "' has shape "
                        + Arrays.toString(shape) + ", expected [1, 3, " + size + ", " + size
                        + "] (NCHW, crop size from the preprocessing)");
            }
        }
        return expected;
    }

    private static void checkOutput(ModelSpec spec, String name, NodeInfo info) throws ModelLoadException {
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new ModelLoadException(spec.onnx() + ": output '" + name + "' is " + info.getInfo()
                    + ", expected a float tensor [1," + spec.labels().size() + "]");
        }
        long[] shape = t.getShape();
        long classes = shape.length == 0 ? -2 : shape[shape.length - 1];
        if (shape.length != 2 || (classes >= 0 && classes != spec.labels().size())) {
            throw new ModelLoadException(spec.onnx() + ": output '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected [1, " + spec.labels().size() + "] (one score per label, " + spec.labels().size()
                    + " labels)");
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    /** Creates a context for one worker thread: preallocated input and output tensors. */
    public InferenceContext newContext() throws OrtException {
        return new InferenceContext(env, session, inputName, outputName, inputShape, spec.labels().size());
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // already failing: the original exception carries the cause
        }
    }
}

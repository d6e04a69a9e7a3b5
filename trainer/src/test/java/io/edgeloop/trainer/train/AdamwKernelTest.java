package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused AdamW kernel (the PyTorch engine's {@code adamUpdate} with its bias corrections folded into rate and
 * epsilon) against the separate-op reference and against {@code torch.optim.AdamW}'s rule written out here in
 * doubles: parameters and both moment buffers over several steps with changing gradients, a conv-like 4-D, a 2-D
 * and a 1-D parameter (no decay on 1-D), two learning-rate groups, with and without weight decay.
 */
class AdamwKernelTest {

    private static final int STEPS = 6;
    /** Both kernels compute in float32; they differ in rounding order only. */
    private static final double FLOAT_TOLERANCE = 2e-6;

    private record Spec(String name, Shape shape, double lrFactor) {
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("backbone.conv", new Shape(4, 3, 3, 3), 0.1),
            new Spec("backbone.bn.weight", new Shape(4), 0.1),
            new Spec("head.weight", new Shape(5, 4), 1.0),
            new Spec("head.bias", new Shape(5), 1.0));

    /** Initial values and one gradient per step and parameter, from a fixed seed (gradients span 4 decades). */
    private static final class Draw {
        final Map<String, float[]> initial = new HashMap<>();
        final Map<String, List<float[]>> gradients = new HashMap<>();

        Draw(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (Spec s : SPECS) {
                initial.put(s.name(), values(random, (int) s.shape().size(), 1.0));
                List<float[]> g = new ArrayList<>();
                for (int t = 0; t < STEPS; t++) {
                    g.add(values(random, (int) s.shape().size(), Math.pow(10, -random.nextInt(4))));
                }
                gradients.put(s.name(), g);
            }
        }

        /** The first moment's recurrence over |g|: the size of the terms a first moment sums. */
        float[] firstMomentMagnitude(Spec s) {
            float[] out = new float[(int) s.shape().size()];
            for (int i = 0; i < out.length; i++) {
                double m = 0;
                for (float[] g : gradients.get(s.name())) {
                    m = 0.9 * m + 0.1 * Math.abs(g[i]);
                }
                out[i] = (float) m;
            }
            return out;
        }

        private static float[] values(SplittableRandom random, int n, double scale) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
            return v;
        }
    }

    /** What one kernel left after {@link #STEPS} steps: parameters and moments by name, its checkpoint. */
    private record Outcome(Map<String, float[]> weights, Map<String, float[][]> moments, long steps,
                           byte[] checkpoint) {
    }

    private static Outcome train(AdamwKernel kernel, double weightDecay, Draw draw) throws IOException {
        FitConfig config = FitConfig.builder().optimiser(OptimiserKind.ADAMW).weightDecay(weightDecay).build();
        try (NDManager m = NDManager.newBaseManager("PyTorch");
             GroupedOptimizer opt = new GroupedOptimizer(config, m, kernel)) {
            List<TrainableParameter> ps = new ArrayList<>();
            for (Spec s : SPECS) {
                Parameter p = Parameter.builder().setName(s.name()).setType(Parameter.Type.WEIGHT).build();
                NDArray a = m.create(draw.initial.get(s.name()), s.shape());
                a.setRequiresGradient(true);
                p.setArray(a);
                ps.add(new TrainableParameter(s.name(), p, s.lrFactor()));
            }
            for (int t = 0; t < STEPS; t++) {
                // backward of Σ w·c gives the gradient c: a real autograd gradient, as in training
                try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                    NDArray loss = null;
                    for (TrainableParameter tp : ps) {
                        NDArray w = tp.parameter().getArray();
                        NDArray term = w.mul(m.create(draw.gradients.get(tp.name()).get(t), w.getShape())).sum();
                        loss = loss == null ? term : loss.add(term);
                    }
                    collector.backward(loss);
                }
                opt.step(ps, 1e-2 * (1 + t) / STEPS); // a warm-up schedule: the rate changes every step
                for (TrainableParameter tp : ps) {
                    float[] grad = tp.parameter().getArray().getGradient().toFloatArray();
                    assertArrayEquals(new float[grad.length], grad, kernel + " leaves the gradient of "
                            + tp.name() + " zeroed");
                }
            }
            Map<String, float[]> weights = new HashMap<>();
            ps.forEach(tp -> weights.put(tp.name(), tp.parameter().getArray().toFloatArray()));
            byte[] checkpoint = save(opt);
            return new Outcome(weights, moments(checkpoint, m), opt.steps(), checkpoint);
        }
    }

    private static byte[] save(GroupedOptimizer opt) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        opt.save(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /** The moment buffers as a checkpoint holds them (GroupedOptimizer.save's layout). */
    private static Map<String, float[][]> moments(byte[] checkpoint, NDManager m) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint));
        in.readLong();
        Map<String, float[][]> out = new HashMap<>();
        for (int count = in.readInt(); count > 0; count--) {
            String name = in.readUTF();
            float[][] arrays = new float[in.readInt()][];
            for (int j = 0; j < arrays.length; j++) {
                byte[] encoded = new byte[in.readInt()];
                in.readFully(encoded);
                try (NDArray a = NDArray.decode(m, encoded)) {
                    arrays[j] = a.toFloatArray();
                }
            }
            out.put(name, arrays);
        }
        return out;
    }

    /** torch.optim.AdamW (single tensor, amsgrad off, maximize off), in doubles; decay only on > 1-D. */
    private static Outcome torchRule(double weightDecay, Draw draw) {
        Map<String, float[]> weights = new HashMap<>();
        Map<String, float[][]> moments = new HashMap<>();
        for (Spec s : SPECS) {
            float[] w0 = draw.initial.get(s.name());
            double wd = s.shape().dimension() > 1 ? weightDecay : 0;
            float[] w = new float[w0.length];
            float[] mOut = new float[w0.length];
            float[] vOut = new float[w0.length];
            for (int i = 0; i < w0.length; i++) {
                double param = w0[i];
                double m = 0;
                double v = 0;
                for (int t = 1; t <= STEPS; t++) {
                    double lr = 1e-2 * t / STEPS * s.lrFactor();
                    double g = draw.gradients.get(s.name()).get(t - 1)[i];
                    param *= 1 - lr * wd;                       // param.mul_(1 - lr * weight_decay)
                    m = 0.9 * m + (1 - 0.9) * g;                // exp_avg.lerp_(grad, 1 - beta1)
                    v = 0.999 * v + (1 - 0.999) * g * g;        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1-beta2)
                    double c1 = 1 - Math.pow(0.9, t);
                    double c2 = 1 - Math.pow(0.999, t);
                    double denom = Math.sqrt(v) / Math.sqrt(c2) + 1e-8;
                    param -= lr / c1 * m / denom;               // param.addcdiv_(exp_avg, denom, -step_size)
                }
                w[i] = (float) param;
                mOut[i] = (float) m;
                vOut[i] = (float) v;
            }
            weights.put(s.name(), w);
            moments.put(s.name(), new float[][] {mOut, vOut});
        }
        return new Outcome(weights, moments, STEPS, null);
    }

    private static void assertClose(Outcome expected, Outcome actual, Draw draw, String what) {
        assertEquals(expected.steps(), actual.steps(), what + ": steps");
        for (Spec s : SPECS) {
            float[] w = expected.weights().get(s.name());
            assertClose(w, actual.weights().get(s.name()), w, what + ": " + s.name());
            float[][] e = expected.moments().get(s.name());
            float[][] a = actual.moments().get(s.name());
            assertClose(e[0], a[0], draw.firstMomentMagnitude(s), what + ": first moment of " + s.name());
            assertClose(e[1], a[1], e[1], what + ": second moment of " + s.name());
        }
    }

    /**
     * |expected − actual| ≤ tolerance × max(|expected|, |actual|, magnitude): {@code magnitude} is what the
     * rounding follows, the value itself, or for a moment that sums gradients of both signs (and cancels) the
     * same sum of their absolute values.
     */
    private static void assertClose(float[] expected, float[] actual, float[] magnitude, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.max(Math.abs(expected[i]), Math.abs(actual[i])), Math.abs(magnitude[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= FLOAT_TOLERANCE * scale,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @ParameterizedTest(name = "weight decay {0}")
    @ValueSource(doubles = {0.0, 0.05})
    void fusedKernelGivesTheSeparateOpsResult(double weightDecay) throws IOException {
        Draw draw = new Draw(7);
        assertClose(train(AdamwKernel.SEPARATE_OPS, weightDecay, draw), train(AdamwKernel.FUSED, weightDecay, draw),
                draw, "fused vs separate ops");
    }

    @ParameterizedTest(name = "weight decay {0}")
    @ValueSource(doubles = {0.0, 0.05})
    void bothKernelsFollowTorchAdamW(double weightDecay) throws IOException {
        Draw draw = new Draw(11);
        Outcome torch = torchRule(weightDecay, draw);
        assertClose(torch, train(AdamwKernel.FUSED, weightDecay, draw), draw, "fused vs torch rule");
        assertClose(torch, train(AdamwKernel.SEPARATE_OPS, weightDecay, draw), draw, "separate ops vs torch rule");
    }

    @ParameterizedTest(name = "weight decay {0}")
    @ValueSource(doubles = {0.05})
    void decayReachesOnlyParametersOfMoreThanOneDimension(double weightDecay) throws IOException {
        Draw draw = new Draw(3);
        Outcome decayed = train(AdamwKernel.FUSED, weightDecay, draw);
        Outcome plain = train(AdamwKernel.FUSED, 0, draw);
        for (Spec s : SPECS) {
            float[] a = decayed.weights().get(s.name());
            float[] b = plain.weights().get(s.name());
            if (s.shape().dimension() > 1) {
                assertFalse(Arrays.equals(a, b), s.name() + " is decayed");
            } else {
                assertArrayEquals(b, a, s.name() + " (1-D) is not decayed");
            }
        }
    }

    @ParameterizedTest(name = "loaded into {0}")
    @EnumSource(AdamwKernel.class)
    void checkpointsHoldTorchMomentsWhicheverKernelWroteThem(AdamwKernel loader) throws IOException {
        Draw draw = new Draw(5);
        FitConfig config = FitConfig.builder().optimiser(OptimiserKind.ADAMW).weightDecay(0.05).build();
        byte[] saved = train(AdamwKernel.FUSED, 0.05, draw).checkpoint();
        Outcome torch = torchRule(0.05, draw);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
             GroupedOptimizer opt = new GroupedOptimizer(config, m, loader)) {
            List<TrainableParameter> ps = new ArrayList<>();
            for (Spec s : SPECS) {
                Parameter p = Parameter.builder().setName(s.name()).setType(Parameter.Type.WEIGHT).build();
                p.setArray(m.create(torch.weights().get(s.name()), s.shape()));
                ps.add(new TrainableParameter(s.name(), p, s.lrFactor()));
            }
            opt.load(new DataInputStream(new ByteArrayInputStream(saved)), ps);
            assertClose(torch, new Outcome(torch.weights(), moments(save(opt), m), opt.steps(), null), draw,
                    "FUSED's checkpoint loaded into " + loader);
        }
    }
}

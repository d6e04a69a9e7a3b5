package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupedOptimizerTest {

    private static final float[] W0 = {1f, -2f, 0.5f, 3f};
    private static final float[] C = {0.3f, -0.1f, 2f, 0.05f};

    private static TrainableParameter parameter(NDManager m, String name, float[] values, Shape shape,
                                                double factor) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = m.create(values, shape);
        a.setRequiresGradient(true);
        p.setArray(a);
        return new TrainableParameter(name, p, factor);
    }

    /** Backward of sum(w × c): the gradient is c. */
    private static void gradient(NDManager m, List<TrainableParameter> ps) {
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            NDArray loss = null;
            for (TrainableParameter p : ps) {
                NDArray term = p.parameter().getArray().mul(m.create(C, p.parameter().getArray().getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }

    @Test
    void adamwMatchesTorchFormulaPerGroup() {
        FitConfig config = FitConfig.builder().optimiser(OptimiserKind.ADAMW).weightDecay(0.01).build();
        try (NDManager m = NDManager.newBaseManager(); GroupedOptimizer opt = new GroupedOptimizer(config, m)) {
            TrainableParameter head = parameter(m, "head", W0, new Shape(2, 2), 1.0);
            TrainableParameter backbone = parameter(m, "backbone", W0, new Shape(2, 2), 0.1);
            TrainableParameter bias = parameter(m, "bias", W0, new Shape(4), 1.0);
            List<TrainableParameter> all = List.of(head, backbone, bias);
            for (int step = 0; step < 2; step++) {
                gradient(m, all);
                opt.step(all, 0.01);
            }
            assertArrayEquals(adamw(0.01, 0.01), head.parameter().getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(adamw(0.001, 0.01), backbone.parameter().getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(adamw(0.01, 0), bias.parameter().getArray().toFloatArray(), 1e-6f); // no decay on 1-D
            assertArrayEquals(new float[4], head.parameter().getArray().getGradient().toFloatArray());
            assertEquals(2, opt.steps());
        }
    }

    /** Two AdamW steps with a constant gradient C from W0. */
    private static float[] adamw(double lr, double wd) {
        float[] out = new float[4];
        for (int i = 0; i < 4; i++) {
            double w = W0[i];
            double m = 0;
            double v = 0;
            for (int t = 1; t <= 2; t++) {
                w *= 1 - lr * wd;
                m = 0.9 * m + 0.1 * C[i];
                v = 0.999 * v + 0.001 * C[i] * C[i];
                double mh = m / (1 - Math.pow(0.9, t));
                double vh = v / (1 - Math.pow(0.999, t));
                w -= lr * mh / (Math.sqrt(vh) + 1e-8);
            }
            out[i] = (float) w;
        }
        return out;
    }

    @Test
    void sgdWithNesterovMomentumMatchesTorchFormula() {
        FitConfig config = FitConfig.builder().optimiser(OptimiserKind.SGD).momentum(0.9).nesterov(true)
                .weightDecay(0.1).build();
        try (NDManager m = NDManager.newBaseManager(); GroupedOptimizer opt = new GroupedOptimizer(config, m)) {
            TrainableParameter p = parameter(m, "w", W0, new Shape(2, 2), 0.5);
            for (int step = 0; step < 3; step++) {
                gradient(m, List.of(p));
                opt.step(List.of(p), 0.2);
            }
            float[] expected = new float[4];
            for (int i = 0; i < 4; i++) {
                double w = W0[i];
                double buf = 0;
                for (int t = 0; t < 3; t++) {
                    double g = C[i] + 0.1 * w;
                    buf = t == 0 ? g : 0.9 * buf + g;
                    w -= 0.1 * (g + 0.9 * buf);
                }
                expected[i] = (float) w;
            }
            assertArrayEquals(expected, p.parameter().getArray().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void savedStateContinuesExactly() throws IOException {
        FitConfig config = FitConfig.builder().build();
        try (NDManager m = NDManager.newBaseManager();
             GroupedOptimizer first = new GroupedOptimizer(config, m);
             GroupedOptimizer second = new GroupedOptimizer(config, m)) {
            TrainableParameter a = parameter(m, "w", W0, new Shape(2, 2), 1.0);
            TrainableParameter b = parameter(m, "w", W0, new Shape(2, 2), 1.0);
            gradient(m, List.of(a));
            first.step(List.of(a), 0.05);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.save(new DataOutputStream(bytes));
            b.parameter().getArray().set(a.parameter().getArray().toFloatArray());
            second.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), List.of(b));
            assertEquals(1, second.steps());
            gradient(m, List.of(a));
            first.step(List.of(a), 0.05);
            gradient(m, List.of(b));
            second.step(List.of(b), 0.05);
            assertArrayEquals(a.parameter().getArray().toFloatArray(), b.parameter().getArray().toFloatArray());

            TrainableParameter other = parameter(m, "other", W0, new Shape(2, 2), 1.0);
            IOException e = assertThrows(IOException.class, () -> second.load(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), List.of(other)));
            assertEquals("optimiser state for parameter 'w' does not match the network (no such trainable"
                    + " parameter)", e.getMessage());
        }
    }
}

package io.edgeloop.trainer.onnx.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ReLU6 in a training node (the relu − relu form) is bit-identical to the plain clamp in value, including values just
 * above 6, large ones and the fallback above 2^25, and its gradient is 1 inside (0, 6) and 0 outside. At exactly 0
 * the relu form has hardtanh's gradient 0, the clamp fallback torch's clamp gradient 1: that tells which one ran.
 */
class ClipOpTest {

    private static final float[] VALUES = {-1e30f, -7f, -1e-7f, 0f, 1e-7f, 0.1f, 3.3333333f, 5.9999995f, 6f,
        6.0000005f, 7.3f, 11.999999f, 12f, 100.1f, 123456.7f, 8388607.5f, 16777215f, 33554428f, 3.4e38f};

    private static List<NDArray> run(NDManager manager, NDArray x, boolean training) {
        OnnxNode node = OnnxNode.of(0, OnnxMl.NodeProto.newBuilder().setOpType("Clip").setName("relu6")
                .addInput("x").addInput("lo").addInput("hi").addOutput("y").build());
        OpContext ctx = new OpContext(node, 13, manager, training, (i, v) -> {
            throw new AssertionError("Clip has no state");
        });
        return new ClipOp().apply(ctx, List.of(x, manager.create(0f), manager.create(6f)));
    }

    @Test
    void relu6WithGradientEqualsClampExactlyAndHasTheHardtanhGradient() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // without 3.4e38 (above 2^25) the relu form runs; with it the clamp fallback runs
            for (float[] values : List.of(Arrays.copyOf(VALUES, VALUES.length - 2), VALUES)) {
                NDArray x = manager.create(values);
                x.setRequiresGradient(true);
                float[] y;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = run(manager, x, true).get(0);
                    y = out.toFloatArray();
                    collector.backward(out.sum());
                }
                float[] expected = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    expected[i] = Math.min(6f, Math.max(0f, values[i]));
                }
                assertArrayEquals(expected, y, 0f, "values " + Arrays.toString(values));
                float[] grad = x.getGradient().toFloatArray();
                boolean fallback = values.length == VALUES.length;
                assertEquals(fallback ? 1f : 0f, grad[3], "d/dx at 0 (" + (fallback ? "clamp" : "relu form") + ")");
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != 0f && values[i] != 6f) {
                        assertEquals(values[i] > 0 && values[i] < 6 ? 1f : 0f, grad[i], "d/dx at " + values[i]);
                    }
                }
            }
        }
    }

    @Test
    void inInferenceModeTheClampRuns() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.create(Arrays.copyOf(VALUES, VALUES.length - 2));
            x.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = run(manager, x, false).get(0);
                y = out.toFloatArray();
                collector.backward(out.sum());
            }
            for (int i = 0; i < y.length; i++) {
                assertEquals(Math.min(6f, Math.max(0f, VALUES[i])), y[i], 0f, "clip(" + VALUES[i] + ")");
            }
            assertEquals(1f, x.getGradient().toFloatArray()[3], "clamp gradient at 0");
        }
    }
}

package io.edgeloop.trainer.onnx.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Clip in a training node (the TorchScript hardtanh) has exactly the clamp's values, for ReLU6 and other bounds,
 * over changing shapes, and hardtanh's gradient: 1 strictly inside the bounds, 0 outside and on them. In inference
 * mode the clamp runs: its gradient is 1 on the bounds, which tells the two apart.
 */
class ClipOpTest {

    private static final float[] VALUES = {-1e30f, -7f, -1e-7f, 0f, 1e-7f, 0.1f, 3.3333333f, 5.9999995f, 6f,
        6.0000005f, 7.3f, 11.999999f, 12f, 100.1f, 123456.7f, 8388607.5f, 33554428f, 3.4e38f};

    private static NDArray clip(NDManager manager, NDArray x, float lo, float hi, boolean training) {
        OnnxNode node = OnnxNode.of(0, OnnxMl.NodeProto.newBuilder().setOpType("Clip").setName("relu6")
                .addInput("x").addInput("lo").addInput("hi").addOutput("y").build());
        OpContext ctx = new OpContext(node, 13, manager, training, (i, v) -> {
            throw new AssertionError("Clip has no state");
        });
        return new ClipOp().apply(ctx, List.of(x, manager.create(lo), manager.create(hi))).get(0);
    }

    /** Runs clip forward and backward (of the sum); returns {values, gradient}. */
    private static float[][] forwardBackward(NDManager manager, float[] values, Shape shape, float lo, float hi,
            boolean training) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(values, shape);
            x.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = clip(batch, x, lo, hi, training);
                assertEquals(shape, out.getShape());
                y = out.toFloatArray();
                collector.backward(out.sum());
            }
            return new float[][] {y, x.getGradient().toFloatArray()};
        }
    }

    @Test
    void trainingClipEqualsClampExactlyWithHardtanhGradient() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[][] r = forwardBackward(manager, VALUES, new Shape(VALUES.length), 0f, 6f, true);
            for (int i = 0; i < VALUES.length; i++) {
                float v = VALUES[i];
                assertEquals(Math.min(6f, Math.max(0f, v)), r[0][i], 0f, "relu6(" + v + ")");
                assertEquals(v > 0 && v < 6 ? 1f : 0f, r[1][i], 0f, "d relu6/dx at " + v);
            }
        }
    }

    @Test
    void trainingClipOverChangingShapesAndBounds() {
        SplittableRandom random = new SplittableRandom(3);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int round = 0; round < 12; round++) {
                Shape shape = new Shape(1 + round % 3, 2 + round, 3, 1 + round % 4);
                float lo = round % 2 == 0 ? 0f : -1.5f;
                float hi = round % 2 == 0 ? 6f : 0.25f;
                float[] values = new float[(int) shape.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() * 20 - 10);
                }
                float[][] r = forwardBackward(manager, values, shape, lo, hi, true);
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Math.min(hi, Math.max(lo, values[i])), r[0][i], 0f, "round " + round + " at " + i);
                    assertEquals(values[i] > lo && values[i] < hi ? 1f : 0f, r[1][i], 0f, "gradient at " + i);
                }
            }
        }
    }

    @Test
    void inferenceModeRunsTheClamp() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[][] r = forwardBackward(manager, VALUES, new Shape(VALUES.length), 0f, 6f, false);
            float[] expected = new float[VALUES.length];
            for (int i = 0; i < VALUES.length; i++) {
                expected[i] = Math.min(6f, Math.max(0f, VALUES[i]));
            }
            assertArrayEquals(expected, r[0], 0f);
            int zero = Arrays.binarySearch(VALUES, 0f);
            int six = Arrays.binarySearch(VALUES, 6f);
            assertEquals(1f, r[1][zero], "clamp gradient at 0");
            assertEquals(1f, r[1][six], "clamp gradient at 6");
        }
    }

    @Test
    void crossedBoundsGiveTheUpperBoundAsTheClampDoes() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[][] r = forwardBackward(manager, new float[] {-3f, 0f, 3f}, new Shape(3), 2f, 1f, true);
            assertArrayEquals(new float[] {1f, 1f, 1f}, r[0], 0f);
        }
    }

    @Test
    void clipAllowedToOverwriteItsInputRunsInPlace() {
        OnnxNode node = OnnxNode.of(0, OnnxMl.NodeProto.newBuilder().setOpType("Clip").setName("relu6")
                .addInput("x").addInput("lo").addInput("hi").addOutput("y").build());
        float[] expected = new float[VALUES.length];
        for (int i = 0; i < VALUES.length; i++) {
            expected[i] = Math.min(6f, Math.max(0f, VALUES[i]));
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (boolean training : new boolean[] {true, false}) {
                OpContext ctx = new OpContext(node, 13, manager, training, (i, v) -> {
                    throw new AssertionError("Clip has no state");
                }, i -> i == 0);
                NDArray x = manager.create(VALUES);
                NDArray y = new ClipOp().apply(ctx, List.of(x, manager.create(0f), manager.create(6f))).get(0);
                assertArrayEquals(expected, y.toFloatArray(), 0f, "relu6, training " + training);
                assertArrayEquals(expected, x.toFloatArray(), 0f, "the input holds the result (in place)");
            }
        }
    }
}

package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A Clip whose input is a BatchNormalization output nothing else reads runs in place (as torchvision's
 * {@code ReLU6(inplace=True)}); a Clip whose input another node still reads does not. Both give the values and
 * gradients of the same computation written with plain out-of-place DJL operations, in training and inference.
 *
 * <p>Graph: {@code c = Conv(x, w); r1 = Clip(c); r2 = Clip(BatchNormalization(c)); y = r1 + c + r2}: {@code c} feeds
 * Clip, BatchNormalization and Add, so overwriting it in the first Clip would change {@code y}.
 */
class InPlaceClipTest {

    private static final Shape X = new Shape(2, 3, 4, 4);
    private static final int CHANNELS = 4;

    private static OnnxMl.NodeProto node(String op, String name, List<String> in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out).build();
    }

    private static OnnxMl.TensorProto tensor(String name, float[] values, long... dims) {
        OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    private static OnnxMl.ValueInfoProto value(String name, Shape shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape.getShape()) {
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    private static float[] random(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return v;
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(17);
    private static final float[] XS = random(RANDOM, (int) X.size(), -4, 4);
    private static final float[] W = random(RANDOM, CHANNELS * 3, -2, 2);
    private static final float[] SCALE = random(RANDOM, CHANNELS, 0.5, 4);
    private static final float[] BIAS = random(RANDOM, CHANNELS, 0, 3);
    private static final float[] MEAN = random(RANDOM, CHANNELS, -1, 1);
    private static final float[] VAR = random(RANDOM, CHANNELS, 0.5, 2);

    private static OnnxGraph graph() {
        OnnxMl.NodeProto clip1 = node("Clip", "relu6_a", List.of("c", "lo", "hi"), "r1");
        OnnxMl.NodeProto clip2 = node("Clip", "relu6_b", List.of("b", "lo", "hi"), "r2");
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("inplace")
                .addInput(value("x", X))
                .addInitializer(tensor("w", W, CHANNELS, 3, 1, 1))
                .addInitializer(tensor("scale", SCALE, CHANNELS)).addInitializer(tensor("bias", BIAS, CHANNELS))
                .addInitializer(tensor("mean", MEAN, CHANNELS)).addInitializer(tensor("var", VAR, CHANNELS))
                .addInitializer(tensor("lo", new float[] {0f})).addInitializer(tensor("hi", new float[] {6f}))
                .addNode(node("Conv", "conv", List.of("x", "w"), "c"))
                .addNode(clip1)
                .addNode(node("BatchNormalization", "bn", List.of("c", "scale", "bias", "mean", "var"), "b"))
                .addNode(clip2)
                .addNode(node("Add", "add1", List.of("r1", "c"), "s"))
                .addNode(node("Add", "add2", List.of("s", "r2"), "y"))
                .addOutput(value("y", new Shape(2, CHANNELS, 4, 4))).build();
        return OnnxGraph.of(OnnxMl.ModelProto.newBuilder().setIrVersion(7).setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build());
    }

    /** {y, dΣy²/dw, dΣy²/dscale} from the graph block. */
    private static float[][] block(NDManager manager, boolean training) {
        OnnxGraphBlock block = new OnnxGraphBlock(graph(), List.of("y"), manager, false);
        Map<String, ai.djl.nn.Parameter> ps = block.parametersByInitializer();
        ps.get("w").getArray().setRequiresGradient(true);
        ps.get("scale").getArray().setRequiresGradient(true);
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(XS, X);
            float[] y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = block.forward(new ParameterStore(batch, false), new NDList(x), training)
                        .singletonOrThrow();
                y = out.toFloatArray();
                collector.backward(out.square().sum());
            }
            assertArrayEquals(XS, x.toFloatArray(), 0f, "the caller's input is never overwritten");
            return new float[][] {y, ps.get("w").getArray().getGradient().toFloatArray(),
                ps.get("scale").getArray().getGradient().toFloatArray()};
        }
    }

    /** The same with plain DJL operations, nothing in place. */
    private static float[][] reference(NDManager manager, boolean training) {
        try (NDManager m = manager.newSubManager()) {
            NDArray w = m.create(W, new Shape(CHANNELS, 3, 1, 1));
            NDArray scale = m.create(SCALE);
            w.setRequiresGradient(true);
            scale.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray c = Conv2d.conv2d(m.create(XS, X), w).singletonOrThrow();
                NDArray b = BatchNorm.batchNorm(c, m.create(MEAN), m.create(VAR), scale, m.create(BIAS), 1, 0.9f,
                        1e-5f, training).singletonOrThrow();
                NDArray out = c.clip(0f, 6f).add(c).add(b.clip(0f, 6f));
                y = out.toFloatArray();
                collector.backward(out.square().sum());
            }
            return new float[][] {y, w.getGradient().toFloatArray(), scale.getGradient().toFloatArray()};
        }
    }

    @Test
    void inPlaceClipGivesTheOutOfPlaceValuesAndGradients() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (boolean training : new boolean[] {true, false}) {
                float[][] expected = reference(manager, training);
                float[][] actual = block(manager, training);
                String mode = training ? "training" : "inference";
                assertArrayEquals(expected[0], actual[0], 1e-5f, mode + ": y");
                assertArrayEquals(expected[1], actual[1], 1e-3f, mode + ": dw");
                assertArrayEquals(expected[2], actual[2], 1e-3f, mode + ": dscale");
            }
        }
    }
}

package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph block closes each activation once its last consumer has run: a forward pass leaves only the caller's
 * input and the outputs in the batch manager, aliases (Identity) survive while any of their names is still needed,
 * the input and outputs are never closed, and gradients still reach the parameters in training.
 *
 * <p>Graph: {@code x → Mul(w) → Relu → Identity → Add(id, relu) → Mul(id) → y}, plus {@code mid = Identity} as a
 * second output.
 */
class ActivationReleaseTest {

    private static OnnxMl.NodeProto node(String op, String name, List<String> in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static OnnxGraph graph() {
        OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("w").addDims(3).addDims(1).addDims(1)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(1f).addFloatData(-2f)
                .addFloatData(0.5f).build();
        OnnxMl.GraphProto g = OnnxMl.GraphProto.newBuilder().setName("release")
                .addInput(value("x", 2, 3, 2, 2)).addInitializer(w)
                .addNode(node("Mul", "scale", List.of("x", "w"), "scaled"))
                .addNode(node("Relu", "relu", List.of("scaled"), "r"))
                .addNode(node("Identity", "id", List.of("r"), "mid"))
                .addNode(node("Add", "add", List.of("mid", "r"), "sum"))
                .addNode(node("Mul", "square", List.of("sum", "mid"), "y"))
                .addOutput(value("y", 2, 3, 2, 2)).addOutput(value("mid", 2, 3, 2, 2)).build();
        return OnnxGraph.of(OnnxMl.ModelProto.newBuilder().setIrVersion(7).setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build());
    }

    @Test
    void activationsAreClosedAfterTheirLastConsumerAndResultsStayCorrect() {
        float[] xs = new float[24];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i % 5 - 2;
        }
        float[] scale = {1f, -2f, 0.5f};
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph(), List.of("y", "mid"), manager, false);
            for (boolean training : new boolean[] {false, true}) {
                block.parametersByInitializer().get("w").getArray().setRequiresGradient(training);
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = batch.create(xs, new Shape(2, 3, 2, 2));
                    NDList out;
                    List<NDArray> left;
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        out = block.forward(new ParameterStore(batch, false), new NDList(x), training);
                        left = batch.getManagedArrays();
                        if (training) {
                            collector.backward(out.get(0).sum());
                        }
                    }
                    float[] y = out.get(0).toFloatArray();
                    float[] mid = out.get(1).toFloatArray();
                    for (int i = 0; i < xs.length; i++) {
                        float r = Math.max(0f, xs[i] * scale[(i / 4) % 3]);
                        assertEquals(r, mid[i], 0f, "mid at " + i);
                        assertEquals(2 * r * r, y[i], 1e-6f, "y at " + i);
                    }
                    assertArrayEquals(xs, x.toFloatArray(), 0f, "the caller's input stays open and unchanged");
                    assertTrue(left.contains(x) && left.contains(out.get(0)) && left.contains(out.get(1)), "" + left);
                    assertEquals(3, left.size(), "arrays left in the batch manager (training " + training + "): "
                            + left);
                    if (training) {
                        // dΣ2r²/dw_c = Σ 4 r x over channel c where r > 0
                        float[] grad = block.parametersByInitializer().get("w").getArray().getGradient()
                                .toFloatArray();
                        for (int c = 0; c < 3; c++) {
                            double expected = 0;
                            for (int i = 0; i < xs.length; i++) {
                                if ((i / 4) % 3 == c) {
                                    expected += 4 * Math.max(0f, xs[i] * scale[c]) * xs[i];
                                }
                            }
                            assertEquals(expected, grad[c], 1e-4, "dw[" + c + "]");
                        }
                    }
                }
            }
        }
    }
}

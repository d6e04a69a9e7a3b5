package io.edgeloop.agent.testing;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds, with the ONNX protobuf classes, a tiny classifier whose answers are known: the mean of each input channel
 * ({@code ReduceMean} over H and W) times {@code 10·I} gives logits for red, green and blue. With inputs scaled to
 * 0..1 (mean 0, std 1, scale 1/255) a solid red frame scores logits [10, 0, 0], a grey frame ties.
 */
public final class ColourModel {

    /** Labels in output order. */
    public static final List<String> LABELS = List.of("red", "green", "blue");
    /** Input side. */
    public static final int SIZE = 32;
    /** Preprocessing the model expects: plain 0..1 RGB at 32×32. */
    public static final PreprocessSpec PREPROCESS = new PreprocessSpec(ResizePolicy.EXACT, SIZE, SIZE,
            List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), 1.0 / 255.0, ColourOrder.RGB);

    private ColourModel() {
    }

    /**
     * Writes the model.
     *
     * @param probabilities append a Softmax so the output holds probabilities instead of logits
     */
    public static Path write(Path file, boolean probabilities) throws IOException {
        return write(file, probabilities, SIZE);
    }

    /** Writes the model with another input side. */
    public static Path write(Path file, boolean probabilities, int size) throws IOException {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("colour");
        g.addInput(valueInfo("input", 1, 3, size, size));
        g.addOutput(valueInfo(probabilities ? "probabilities" : "logits", 1, 3));
        float[] w = {10, 0, 0, 0, 10, 0, 0, 0, 10};
        OnnxMl.TensorProto.Builder weight = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(3).addDims(3);
        for (float v : w) {
            weight.addFloatData(v);
        }
        g.addInitializer(weight);
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").setName("mean").addInput("input")
                .addOutput("means").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                        .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(2).addInts(3))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").setName("fc").addInput("means").addInput("W")
                .addOutput("logits"));
        if (probabilities) {
            g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Softmax").setName("softmax").addInput("logits")
                    .addOutput("probabilities").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)));
        }
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("edgeloop-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, model.toByteArray());
        return file;
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}

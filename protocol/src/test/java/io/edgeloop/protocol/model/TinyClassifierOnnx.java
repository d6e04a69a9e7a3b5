package io.edgeloop.protocol.model;

import ai.onnx.proto.OnnxMl;
import java.util.Random;

/**
 * Builds tiny ONNX classifiers ({@code Flatten → Gemm}) with the raw protobuf builders, for tests here and in the
 * trainer and agent (through the protocol test jar). Weights come from a fixed seed, so the same arguments always
 * give the same bytes.
 */
public final class TinyClassifierOnnx {

    private TinyClassifierOnnx() {
    }

    /**
     * A classifier {@code image [batch, 3, size, size] → logits [batch, classes]}, batch symbolic, opset 13.
     *
     * @param inputName  graph input name
     * @param outputName graph output name
     * @param size       image height and width
     * @param classes    number of classes
     * @param seed       weight seed
     */
    public static OnnxMl.ModelProto classifier(String inputName, String outputName, int size, int classes,
                                               long seed) {
        int features = 3 * size * size;
        Random random = new Random(seed);
        OnnxMl.TensorProto.Builder weight = OnnxMl.TensorProto.newBuilder().setName("head.weight")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(classes).addDims(features);
        for (int i = 0; i < classes * features; i++) {
            weight.addFloatData((float) (random.nextGaussian() * 0.05));
        }
        OnnxMl.TensorProto.Builder bias = OnnxMl.TensorProto.newBuilder().setName("head.bias")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(classes);
        for (int i = 0; i < classes; i++) {
            bias.addFloatData((float) (random.nextGaussian() * 0.01));
        }
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("tiny_classifier")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Flatten").setName("flatten")
                        .addInput(inputName).addOutput("features")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").setName("head")
                        .addInput("features").addInput("head.weight").addInput("head.bias").addOutput(outputName)
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB").setI(1)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addInitializer(weight)
                .addInitializer(bias)
                .addInput(tensor(inputName, -1, 3, size, size))
                .addOutput(tensor(outputName, -1, classes))
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("edgeloop-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build();
    }

    /** {@link #classifier} with input {@code image}, output {@code logits}, 8×8 images and seed 7. */
    public static OnnxMl.ModelProto classifier(int classes) {
        return classifier("image", "logits", 8, classes, 7L);
    }

    /**
     * A float tensor value description; {@code -1} marks a symbolic dimension named {@code batch}.
     */
    public static OnnxMl.ValueInfoProto tensor(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0
                    ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}

package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Appends CNN layers to an ONNX graph with the raw protobuf builders, creating and initialising each layer's
 * initializers. Layer names are torchvision module paths ({@code features.0.0}); a layer's initializers are named
 * {@code <layer>.weight} etc. as in torchvision's {@code state_dict}, and its output value carries the layer's name.
 * One builder writes one graph; it is not thread-safe.
 */
final class GraphBuilder {

    /** Symbolic name of the batch dimension of the input and output. */
    static final String BATCH_DIM = "batch";
    /** BatchNorm epsilon and momentum as torch exports them (torch momentum 0.1 → ONNX 0.9). */
    static final float BN_EPSILON = 1e-5f;
    static final float BN_MOMENTUM = 0.9f;
    /** Shared scalar initializers for ReLU6's Clip bounds (opset 13 takes them as inputs). */
    static final String RELU6_MIN = "relu6.min";
    static final String RELU6_MAX = "relu6.max";

    private final GraphProto.Builder graph;
    private final long seed;
    private final Set<String> names = new HashSet<>();
    private boolean relu6BoundsAdded;

    GraphBuilder(String graphName, long seed) {
        this.graph = GraphProto.newBuilder().setName(graphName);
        this.seed = seed;
    }

    /** Declares the float input [batch, channels, size, size]. */
    String input(String name, int channels, int size) {
        graph.addInput(valueInfo(name, channels, size, size));
        claim(name);
        return name;
    }

    /** Conv without bias (torchvision's convs before a BatchNorm), Kaiming-normal fan-out initialised. */
    String conv(String name, String x, int in, int out, int kernel, int stride, int pad, int groups) {
        String weight = initializer(name + ".weight", new long[] {out, in / groups, kernel, kernel},
                WeightInit.KAIMING_NORMAL_FAN_OUT, 0);
        return node("Conv", name, List.of(x, weight),
                ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad), ints("dilations", 1, 1), intAttr("group", groups));
    }

    /** BatchNormalization with gamma 1, beta 0, running mean 0, running variance 1. */
    String batchNorm(String name, String x, int channels) {
        long[] shape = {channels};
        String gamma = initializer(name + ".weight", shape, WeightInit.ONES, 0);
        String beta = initializer(name + ".bias", shape, WeightInit.ZEROS, 0);
        String mean = initializer(name + ".running_mean", shape, WeightInit.ZEROS, 0);
        String var = initializer(name + ".running_var", shape, WeightInit.ONES, 0);
        return node("BatchNormalization", name, List.of(x, gamma, beta, mean, var),
                floatAttr("epsilon", BN_EPSILON), floatAttr("momentum", BN_MOMENTUM));
    }

    String relu(String name, String x) {
        return node("Relu", name, List.of(x));
    }

    /** ReLU6 as {@code Clip(x, 0, 6)} with the bounds as (shared) scalar initializers. */
    String relu6(String name, String x) {
        if (!relu6BoundsAdded) {
            graph.addInitializer(scalar(RELU6_MIN, 0f));
            graph.addInitializer(scalar(RELU6_MAX, 6f));
            claim(RELU6_MIN);
            claim(RELU6_MAX);
            relu6BoundsAdded = true;
        }
        return node("Clip", name, List.of(x, RELU6_MIN, RELU6_MAX));
    }

    String add(String name, String a, String b) {
        return node("Add", name, List.of(a, b));
    }

    String maxPool(String name, String x, int kernel, int stride, int pad) {
        return node("MaxPool", name, List.of(x), ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad));
    }

    String globalAveragePool(String name, String x) {
        return node("GlobalAveragePool", name, List.of(x));
    }

    String flatten(String name, String x) {
        return node("Flatten", name, List.of(x), intAttr("axis", 1));
    }

    /**
     * A Linear layer as {@code Gemm(x, W, b, transB=1)} with W [out, in] like torch's; the weight and bias inits
     * follow {@code init} (for {@link WeightInit#NORMAL_0_01} the bias is zero, as torchvision sets it).
     */
    String linear(String name, String x, int in, int out, WeightInit init) {
        String weight = initializer(name + ".weight", new long[] {out, in}, init, in);
        String bias = initializer(name + ".bias", new long[] {out},
                init == WeightInit.LINEAR_DEFAULT_UNIFORM ? init : WeightInit.ZEROS, in);
        return node("Gemm", name, List.of(x, weight, bias), floatAttr("alpha", 1f), floatAttr("beta", 1f),
                intAttr("transB", 1));
    }

    /**
     * Finishes the graph: renames the last value to {@code outputName} by an extra output declaration
     * [batch, classes]. The last node must have produced {@code last}.
     */
    GraphProto finish(String last, String outputName, int classes) {
        // Rename the final node's output so the graph output has the contract's name.
        int lastIndex = graph.getNodeCount() - 1;
        NodeProto lastNode = graph.getNode(lastIndex);
        if (!lastNode.getOutput(0).equals(last)) {
            throw new IllegalStateException("last node " + lastNode.getName() + " does not produce " + last);
        }
        claim(outputName);
        graph.setNode(lastIndex, lastNode.toBuilder().setOutput(0, outputName));
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(classes))
                .build();
        graph.addOutput(ValueInfoProto.newBuilder().setName(outputName).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))));
        return graph.build();
    }

    private String initializer(String name, long[] shape, WeightInit init, long fanIn) {
        claim(name);
        float[] values = init.values(seed, name, shape, fanIn);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static TensorProto scalar(String name, float value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addFloatData(value).build();
    }

    private String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
        claim(name);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(name);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return name;
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate name in graph " + graph.getName() + ": " + name);
        }
    }

    private static ValueInfoProto valueInfo(String name, long channels, long height, long width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(height))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }
}

package io.edgeloop.protocol.model;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The real inputs (graph inputs that are not initializers) and outputs of an ONNX graph, with their declared
 * element types and shapes.
 *
 * @param inputs  graph inputs a caller must feed, in graph order
 * @param outputs graph outputs, in graph order
 */
public record GraphSignature(List<TensorInfo> inputs, List<TensorInfo> outputs) {

    public GraphSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Reads the signature of {@code model}'s main graph. */
    public static GraphSignature of(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto graph = model.getGraph();
        Set<String> initializers = new HashSet<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            initializers.add(t.getName());
        }
        List<TensorInfo> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
            // Before IR version 4 initializers were also listed as graph inputs; they are weights, not inputs.
            if (!initializers.contains(v.getName())) {
                inputs.add(info(v));
            }
        }
        List<TensorInfo> outputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
            outputs.add(info(v));
        }
        return new GraphSignature(inputs, outputs);
    }

    /** The input named {@code name}, if the graph has one. */
    public Optional<TensorInfo> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The output named {@code name}, if the graph has one. */
    public Optional<TensorInfo> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Input names in graph order. */
    public List<String> inputNames() {
        return inputs.stream().map(TensorInfo::name).toList();
    }

    /** Output names in graph order. */
    public List<String> outputNames() {
        return outputs.stream().map(TensorInfo::name).toList();
    }

    private static TensorInfo info(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return new TensorInfo(v.getName(), "NOT_A_TENSOR", false, List.of());
        }
        OnnxMl.TypeProto.Tensor tensor = v.getType().getTensorType();
        OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(tensor.getElemType());
        String typeName = type == null ? "UNKNOWN_" + tensor.getElemType() : type.name();
        if (!tensor.hasShape()) {
            return new TensorInfo(v.getName(), typeName, false, List.of());
        }
        List<Long> dims = new ArrayList<>();
        for (OnnxMl.TensorShapeProto.Dimension d : tensor.getShape().getDimList()) {
            dims.add(d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : -1L);
        }
        return new TensorInfo(v.getName(), typeName, true, dims);
    }
}

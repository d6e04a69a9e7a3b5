package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * One node of an ONNX graph, in graph (topological) order.
 *
 * @param index position in the graph's node list
 * @param name the node's name, unique in its graph ({@link NodeNames}: the file's name, else its first output)
 * @param opType the ONNX operator type (default domain)
 * @param inputs input tensor names; an empty string marks an omitted optional input
 * @param outputs output tensor names
 * @param attributes the node's attributes
 */
public record OnnxNode(int index, String name, String opType, List<String> inputs, List<String> outputs,
        NodeAttributes attributes) {

    /** Compact constructor: copies the lists. */
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Reads a node from its protobuf form, named as {@link NodeNames} names a node alone in its graph. */
    public static OnnxNode of(int index, OnnxMl.NodeProto proto) {
        return of(index, proto, NodeNames.assign(List.of(proto)).get(0));
    }

    /** Reads a node from its protobuf form under the name its graph gave it ({@link NodeNames}). */
    static OnnxNode of(int index, OnnxMl.NodeProto proto, String name) {
        String description = proto.getOpType() + " node '" + name + "'";
        return new OnnxNode(index, name, proto.getOpType(), proto.getInputList(), proto.getOutputList(),
                new NodeAttributes(description, proto.getAttributeList()));
    }

    /** e.g. {@code Conv node 'features.0.0'}: the prefix of every error message about this node. */
    public String describe() {
        return opType + " node '" + name + "'";
    }

    /** Input name at {@code i}, or the empty string when the input is omitted. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }
}

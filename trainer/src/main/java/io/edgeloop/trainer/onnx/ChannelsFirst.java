package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * Turns a channels-last (NHWC, tf2onnx) classifier into one that takes NCHW images, so its model card can describe
 * it (cards, the shared preprocessing and the agent all feed {@code [N, 3, H, W]}): the graph input keeps its name
 * with the dimensions reordered, and one {@code Transpose(perm=[0, 2, 3, 1])} in front hands the original nodes the
 * NHWC tensor they expect. Nothing else changes. Used for pulled NHWC bases and for packages exported from them.
 */
public final class ChannelsFirst {

    /** Name of the inserted node. */
    public static final String NODE = "edgeloop_nchw/Transpose";

    private ChannelsFirst() {
    }

    /**
     * The adapted model.
     *
     * @throws IllegalArgumentException if the graph's image input is not a float {@code [N, H, W, 3]} tensor
     */
    public static OnnxMl.ModelProto adapt(OnnxMl.ModelProto model, String inputName) {
        OnnxMl.GraphProto graph = model.getGraph();
        int index = -1;
        for (int i = 0; i < graph.getInputCount(); i++) {
            if (graph.getInput(i).getName().equals(inputName)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("graph input \"" + inputName + "\" does not exist; the graph's inputs"
                    + " are " + graph.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
        }
        OnnxMl.ValueInfoProto input = graph.getInput(index);
        OnnxMl.TypeProto.Tensor tensor = input.getType().getTensorType();
        List<OnnxMl.TensorShapeProto.Dimension> dims = tensor.getShape().getDimList();
        if (dims.size() != 4 || !dims.get(3).hasDimValue() || dims.get(3).getDimValue() != 3) {
            throw new IllegalArgumentException("graph input \"" + inputName + "\" has shape " + text(dims)
                    + ", allowed [N, H, W, 3] for an NHWC base");
        }
        String nhwc = inputName + "__nhwc";
        OnnxMl.TensorShapeProto nchwShape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(dims.get(0)).addDim(dims.get(3)).addDim(dims.get(1)).addDim(dims.get(2)).build();
        OnnxMl.ValueInfoProto nchwInput = input.toBuilder().setType(input.getType().toBuilder()
                .setTensorType(tensor.toBuilder().setShape(nchwShape))).build();
        OnnxMl.NodeProto transpose = OnnxMl.NodeProto.newBuilder().setName(NODE).setOpType("Transpose")
                .addInput(inputName).addOutput(nhwc)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("perm")
                        .setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(List.of(0L, 2L, 3L, 1L)))
                .build();
        OnnxMl.GraphProto.Builder adapted = graph.toBuilder().setInput(index, nchwInput).clearNode().addNode(transpose);
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            OnnxMl.NodeProto.Builder b = node.toBuilder();
            for (int i = 0; i < b.getInputCount(); i++) {
                if (b.getInput(i).equals(inputName)) {
                    b.setInput(i, nhwc);
                }
            }
            adapted.addNode(b);
        }
        return model.toBuilder().setGraph(adapted).build();
    }

    private static String text(List<OnnxMl.TensorShapeProto.Dimension> dims) {
        return dims.stream().map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue())
                : d.getDimParam().isEmpty() ? "?" : d.getDimParam()).toList().toString();
    }
}

package io.edgeloop.trainer.fuzz;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile ONNX models made from a valid one, as seeds for the fuzzer: byte mutations rarely produce these. A cyclic
 * graph, absurd input dimensions (huge, zero, negative), an initializer declaring 2^40 elements with no data, one
 * whose raw data is truncated, a node reading a tensor nothing produces, and an empty graph.
 */
final class OnnxShapes {

    private OnnxShapes() {
    }

    static List<byte[]> hostile(OnnxMl.ModelProto valid) {
        List<byte[]> out = new ArrayList<>();
        OnnxMl.GraphProto g = valid.getGraph();
        // cycle: the first node reads the last node's output
        OnnxMl.ModelProto.Builder cyclic = valid.toBuilder();
        OnnxMl.NodeProto first = g.getNode(0);
        String lastOutput = g.getNode(g.getNodeCount() - 1).getOutput(0);
        cyclic.getGraphBuilder().setNode(0, first.toBuilder().setInput(0, lastOutput));
        out.add(cyclic.build().toByteArray());
        for (long dim : new long[] {1L << 40, 0, -7, Integer.MAX_VALUE}) {
            OnnxMl.ModelProto.Builder absurd = valid.toBuilder();
            var shape = absurd.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
                    .getShapeBuilder();
            for (int d = 1; d < shape.getDimCount(); d++) {
                shape.setDim(d, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
            }
            out.add(absurd.build().toByteArray());
        }
        if (g.getInitializerCount() > 0) {
            OnnxMl.ModelProto.Builder huge = valid.toBuilder();
            OnnxMl.TensorProto init = g.getInitializer(0);
            huge.getGraphBuilder().setInitializer(0, init.toBuilder().clearDims().addDims(1L << 20).addDims(1L << 20)
                    .clearRawData().clearFloatData());
            out.add(huge.build().toByteArray());
            OnnxMl.ModelProto.Builder truncated = valid.toBuilder();
            ByteString raw = init.getRawData();
            truncated.getGraphBuilder().setInitializer(0, init.toBuilder()
                    .setRawData(raw.substring(0, raw.size() / 2)).clearFloatData());
            out.add(truncated.build().toByteArray());
        }
        OnnxMl.ModelProto.Builder dangling = valid.toBuilder();
        dangling.getGraphBuilder().setNode(0, first.toBuilder().setInput(0, "nothing-produces-this"));
        out.add(dangling.build().toByteArray());
        OnnxMl.ModelProto.Builder empty = valid.toBuilder();
        empty.getGraphBuilder().clearNode();
        out.add(empty.build().toByteArray());
        return out;
    }
}

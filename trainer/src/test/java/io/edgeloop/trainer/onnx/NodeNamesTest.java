package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unique, stable node names for unnamed (Caffe2) and duplicate-named nodes. */
class NodeNamesTest {

    private static OnnxMl.NodeProto node(String name, String op, String... outputs) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllOutput(List.of(outputs)).build();
    }

    @Test
    void unnamedNodesAreNamedAfterTheirFirstOutput() {
        assertEquals(List.of("conv1_1", "conv1_bn_1", "fc_1"), NodeNames.assign(List.of(node("", "Conv", "conv1_1"),
                node("", "BatchNormalization", "conv1_bn_1", "", ""), node("", "Gemm", "fc_1"))));
    }

    @Test
    void takenNamesGetACounterInGraphOrder() {
        // a file naming two nodes alike, and an unnamed node whose output is a later node's explicit name
        List<String> names = NodeNames.assign(List.of(node("", "Relu", "a"), node("relu", "Relu", "b"),
                node("relu", "Relu", "c"), node("a", "Sigmoid", "d"), node("", "Split", "", "e"),
                node("", "Identity")));
        assertEquals(List.of("a#2", "relu", "relu#2", "a", "e", "Identity_5"), names);
    }

    @Test
    void aGeneratedCounterNeverTakesAnExplicitName() {
        List<String> names = NodeNames.assign(List.of(node("x", "Relu", "p"), node("x", "Relu", "q"),
                node("x#2", "Relu", "r")));
        assertEquals(List.of("x", "x#3", "x#2"), names);
    }

    @Test
    void graphUsesTheNamesForLookupAndErrors() {
        OnnxMl.ModelProto model = OnnxGraph.read(Float16ImportTest.legacy("caffe2_fp32_twin_op8"));
        OnnxGraph graph = OnnxGraph.of(model);
        assertEquals("Gemm", graph.node("fc_1").opType());
        assertEquals(graph.nodes().size(), graph.nodes().stream().map(OnnxNode::name).distinct().count());
    }
}

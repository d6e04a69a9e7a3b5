package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;

class GraphSummaryTest {

    @Test
    void summarisesResnetWithPreservedBatchNorm() {
        GraphSummary s = GraphSummary.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("arch")
                .resolve("resnet18_op13_dyn_bn.onnx")));
        assertEquals(13, s.opset());
        assertEquals("input FLOAT[batch×3×64×64]", s.inputs().get(0).toString());
        assertEquals("output FLOAT[batch×10]", s.outputs().get(0).toString());
        assertEquals(20, s.opHistogram().get("Conv"));
        assertEquals(20, s.opHistogram().get("BatchNormalization"));
        assertEquals(1, s.opHistogram().get("Gemm"));
        assertEquals(69, s.nodeCount());
        assertEquals(32, s.featureSize());
        assertEquals(java.util.List.of("/fc/Gemm"), s.head().oldHeadNodes());
        assertTrue(s.unsupportedOps().isEmpty());
        assertNull(s.headProblem());
        String text = s.toText();
        assertTrue(text.contains("head       head Gemm node '/fc/Gemm', features '/Flatten_output_0', 32 features\n"
                + "new head   linear 32 → k classes, attached at '/Flatten_output_0'\n"), text);
        assertTrue(text.startsWith("graph      torch_jit by pytorch 1.13.0, opset 13\n"), text);
    }

    @Test
    void summarisesAConvHead() {
        GraphSummary s = GraphSummary.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("arch")
                .resolve("squeezenet1_1_op11_dyn_fold.onnx")));
        assertEquals(128, s.featureSize());
        String text = s.toText();
        assertTrue(text.contains("head       1×1 conv head Conv node '/classifier/classifier.1/Conv' + Relu +"
                + " GlobalAveragePool, features '/features/features.12/Concat_output_0' [N, 128, ?, ?], 128"
                + " features\nnew head   global average pool [N, 128, ?, ?] → 128, linear 128 → k classes, attached"
                + " at '/features/features.12/Concat_output_0' (--head-pool max|flatten to change the pooling)\n"),
                text);
    }

    @Test
    void reportsMissingHeadAndUnsupportedOps() {
        OnnxMl.ModelProto.Builder noHead = OnnxGraph.read(OrtReference.FIXTURES.resolve("arch")
                .resolve("squeezenet1_1_op11_dyn_fold.onnx")).toBuilder();
        noHead.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).setDimValue(1000);
        GraphSummary conv = GraphSummary.of(noHead.build());
        assertNull(conv.head());
        assertEquals(-1, conv.featureSize());
        assertEquals("none until a head is found or named with --cut-at", conv.newHead());
        assertTrue(conv.toText().contains("head       not found: no classifier head found: graph output 'output'"
                + " comes from GlobalAveragePool node '/classifier/classifier.3/GlobalAveragePool' over Conv node"
                + " '/classifier/classifier.1/Conv' with 10 output channels, but the output has 1000 classes"),
                conv.toText());
        GraphSummary lstm = GraphSummary.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("unsupported_lstm.onnx")));
        assertEquals(java.util.List.of("LSTM"), lstm.unsupportedOps());
        assertTrue(lstm.toText().contains("supported  no, unsupported ops: LSTM\n"), lstm.toText());
    }
}

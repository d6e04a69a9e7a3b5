package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(text.contains("head       head Gemm node '/fc/Gemm', features '/Flatten_output_0', 32 features\n"),
                text);
        assertTrue(text.startsWith("graph      torch_jit by pytorch 1.13.0, opset 13\n"), text);
    }

    @Test
    void reportsMissingHeadAndUnsupportedOps() {
        GraphSummary conv = GraphSummary.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("arch")
                .resolve("squeezenet1_1_op11_dyn_fold.onnx")));
        assertNull(conv.head());
        assertEquals(-1, conv.featureSize());
        assertTrue(conv.toText().contains("head       not found: no classifier head found: graph output 'output'"),
                conv.toText());
        GraphSummary lstm = GraphSummary.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("unsupported_lstm.onnx")));
        assertEquals(java.util.List.of("LSTM"), lstm.unsupportedOps());
        assertTrue(lstm.toText().contains("supported  no, unsupported ops: LSTM\n"), lstm.toText());
    }
}

package io.edgeloop.trainer.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.TensorProtos;
import org.junit.jupiter.api.Test;

/** Folding BatchNormalization into the Convs of real trained networks leaves their outputs equal (float). */
class BatchNormFoldingTest {

    @Test
    void foldedBaseModelComputesTheSameLogitsOnRealImages() throws Exception {
        ModelPackage base = ModelPackage.read(QuantizeFixtures.BASE);
        assertEquals(4, count(base.model(), "BatchNormalization"));
        BatchNormFolding.Folded folded = BatchNormFolding.fold(base.model());
        assertEquals(4, folded.folded());
        assertEquals(0, count(folded.model(), "BatchNormalization"));
        assertEquals(4, count(folded.model(), "Conv"));
        // every Conv now has a bias (the BN's shift), and the BN parameters are gone
        for (OnnxMl.NodeProto n : folded.model().getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                assertEquals(3, n.getInputCount(), n.getName());
            }
        }
        assertTrue(folded.model().getGraph().getInitializerCount() < base.model().getGraph().getInitializerCount());
        assertEquals(base.model().getMetadataPropsList(), folded.model().getMetadataPropsList());

        ModelCard card = base.card();
        // the base's own task is not in the sample; any real images exercise its kernels the same way
        QuantizeFixtures.Images images = QuantizeFixtures.images(QuantizeFixtures.TEST, java.util.List.of(
                "ankle-boot", "bag", "sandal", "sneaker"), card.preprocessing(), 64);
        float[] before = QuantizeFixtures.run(base.model().toByteArray(), card.input().name(), "logits", images);
        float[] after = QuantizeFixtures.run(folded.model().toByteArray(), card.input().name(), "logits", images);
        double maxLogit = 0;
        double maxDiff = 0;
        for (int i = 0; i < before.length; i++) {
            maxLogit = Math.max(maxLogit, Math.abs(before[i]));
            maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
        }
        assertTrue(maxLogit > 1, "logits too small to compare: " + maxLogit);
        assertTrue(maxDiff <= 1e-4 * maxLogit, "max |diff| " + maxDiff + " of max |logit| " + maxLogit);
    }

    @Test
    void theFoldedWeightsAreTheBatchNormScaledOnes() {
        OnnxMl.ModelProto model = OnnxGraph.read(QuantizeFixtures.BASE);
        OnnxMl.NodeProto conv = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv"))
                .findFirst().orElseThrow();
        OnnxMl.NodeProto bn = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization") && n.getInput(0).equals(conv.getOutput(0)))
                .findFirst().orElseThrow();
        float[] w = floats(model, conv.getInput(1));
        float[] gamma = floats(model, bn.getInput(1));
        float[] var = floats(model, bn.getInput(4));
        double eps = bn.getAttributeList().stream().filter(a -> a.getName().equals("epsilon")).findFirst()
                .map(a -> (double) a.getF()).orElse(1e-5);
        OnnxMl.ModelProto folded = BatchNormFolding.fold(model).model();
        OnnxMl.NodeProto foldedConv = folded.getGraph().getNodeList().stream()
                .filter(n -> n.getName().equals(conv.getName())).findFirst().orElseThrow();
        assertEquals(bn.getOutput(0), foldedConv.getOutput(0));
        float[] w2 = floats(folded, foldedConv.getInput(1));
        int per = w.length / gamma.length;
        for (int i = 0; i < w.length; i++) {
            int c = i / per;
            double k = gamma[c] / Math.sqrt(var[c] + eps);
            assertEquals(w[i] * k, w2[i], 1e-6 * Math.max(1, Math.abs(w[i] * k)), "weight " + i);
        }
    }

    private static float[] floats(OnnxMl.ModelProto m, String name) {
        return TensorProtos.floats(m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name))
                .findFirst().orElseThrow());
    }

    static int count(OnnxMl.ModelProto m, String op) {
        return (int) m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }
}

package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassificationLossTest {

    private static final float[] LOGITS = {2f, 0f, -1f, 0.5f, 0.5f, 1f};
    private static final int[] LABELS = {0, 2};

    /** Reference: per image -Σ q_c log p_c. */
    private static double reference(double smoothing, float[] weights) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < 2; i++) {
            double[] z = {LOGITS[3 * i], LOGITS[3 * i + 1], LOGITS[3 * i + 2]};
            double lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]));
            double loss = 0;
            for (int c = 0; c < 3; c++) {
                double q = (c == LABELS[i] ? 1 - smoothing : 0) + smoothing / 3;
                loss -= q * (z[c] - lse);
            }
            double w = weights == null ? 1 : weights[LABELS[i]];
            num += w * loss;
            den += w;
        }
        return num / den;
    }

    private static double compute(ClassificationLoss loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS, new Shape(2, 3));
            return loss.compute(logits, m.create(LABELS)).getFloat();
        }
    }

    @Test
    void matchesTheFormula() {
        assertEquals(reference(0, null), compute(ClassificationLoss.plain(3)), 1e-5);
        assertEquals(reference(0.1, null), compute(new ClassificationLoss(3, 0.1, Optional.empty())), 1e-5);
        float[] w = {0.5f, 1f, 3f};
        assertEquals(reference(0.1, w), compute(new ClassificationLoss(3, 0.1, Optional.of(w))), 1e-5);
    }
}

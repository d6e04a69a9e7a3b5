package io.edgeloop.trainer.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReliabilityDiagramTest {

    @Test
    void eceIsTheImageWeightedGapBetweenConfidenceAndAccuracy() {
        // top-1 0.95 (right), 0.95 (wrong), 0.75 (right), 0.55 (wrong) over 10 bins
        float[] p = {0.95f, 0.05f, 0.95f, 0.05f, 0.25f, 0.75f, 0.55f, 0.45f};
        int[] truth = {0, 1, 1, 1};
        ReliabilityDiagram d = ReliabilityDiagram.of(p, truth, 2, 10);
        assertEquals(10, d.bins().size());
        ReliabilityDiagram.Bin top = d.bins().get(9);
        assertEquals(2, top.count());
        assertEquals(0.95, top.confidence(), 1e-6);
        assertEquals(0.5, top.accuracy());
        assertEquals(1, d.bins().get(7).count());
        assertEquals(1, d.bins().get(5).count());
        assertEquals(0.0, d.bins().get(5).accuracy());
        assertTrue(Double.isNaN(d.bins().get(0).confidence()));
        // (2 × |0.5 − 0.95| + |1 − 0.75| + |0 − 0.55|) / 4
        assertEquals((2 * 0.45 + 0.25 + 0.55) / 4, d.ece(), 1e-6);
    }

    @Test
    void binsAreClosedAboveAndTheFirstHoldsZero() {
        float[] p = {0.5f, 0.5f, 1f, 0f};
        ReliabilityDiagram d = ReliabilityDiagram.of(p, new int[] {0, 0}, 2, 2);
        assertEquals(1, d.bins().get(0).count(), "0.5 is in (0, 0.5]");
        assertEquals(1, d.bins().get(1).count(), "1.0 is in (0.5, 1]");
        assertEquals(0.25, d.ece(), 1e-9);
    }

    @Test
    void aPerfectlyCalibratedBinHasNoGap() {
        float[] p = new float[10 * 2];
        int[] truth = new int[10];
        for (int i = 0; i < 10; i++) {
            p[2 * i] = 0.7f;
            p[2 * i + 1] = 0.3f;
            truth[i] = i < 7 ? 0 : 1;
        }
        assertEquals(0, ReliabilityDiagram.of(p, truth, 2, 15).ece(), 1e-6);
    }

    @Test
    void aBadBinCountIsRefused() {
        assertEquals("bins is 0, allowed 1..1000", assertThrows(IllegalArgumentException.class,
                () -> ReliabilityDiagram.of(new float[0], new int[0], 2, 0)).getMessage());
    }
}

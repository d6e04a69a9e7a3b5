package io.edgeloop.trainer.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.calibrate.PrecisionThresholds.ClassThreshold;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrecisionThresholdsTest {

    static final List<String> LABELS = List.of("a", "b", "c");

    /** Images predicted as {@code a} with these scores; a wrong one is really {@code c}. */
    static float[] predictedA(double[] scores) {
        float[] p = new float[scores.length * 3];
        for (int i = 0; i < scores.length; i++) {
            p[3 * i] = (float) scores[i];
            p[3 * i + 1] = (float) ((1 - scores[i]) / 2);
            p[3 * i + 2] = (float) ((1 - scores[i]) / 2);
        }
        return p;
    }

    static final double[] SCORES = {0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45};
    static final int[] TRUTH = {0, 0, 2, 0, 0, 2, 2}; // right, right, wrong, right, right, wrong, wrong

    @Test
    void theThresholdIsTheLowestScoreWhosePredictionsReachTheTarget() {
        // precision from the top: 1/1, 2/2, 2/3, 3/4, 4/5, 4/6, 4/7
        ClassThreshold a = PrecisionThresholds.compute(predictedA(SCORES), TRUTH, LABELS, 0.75).get(0);
        assertEquals(OptionalDouble.of(0.6), a.threshold());
        assertEquals(7, a.predicted());
        assertEquals(5, a.kept());
        assertEquals(0.8, a.precision(), 1e-9);
        assertEquals(1.0, a.recall(), 1e-9, "all 4 images of a are kept");
        assertEquals(4, a.support());
        ClassThreshold strict = PrecisionThresholds.compute(predictedA(SCORES), TRUTH, LABELS, 0.9).get(0);
        assertEquals(OptionalDouble.of(0.9), strict.threshold());
        assertEquals(2, strict.kept());
        assertEquals(0.5, strict.recall(), 1e-9);
        ClassThreshold loose = PrecisionThresholds.compute(predictedA(SCORES), TRUTH, LABELS, 0.5).get(0);
        assertEquals(OptionalDouble.of(0.45), loose.threshold(), "4/7 ≥ 0.5: every prediction is kept");
    }

    @Test
    void equalScoresAreKeptOrDroppedTogether() {
        // 0.9 right, 0.8 right, 0.8 wrong: splitting the tie would give 0.8 at 2/2; together it is 2/3 < 0.75
        ClassThreshold a = PrecisionThresholds.compute(predictedA(new double[] {0.9, 0.8, 0.8}),
                new int[] {0, 0, 2}, LABELS, 0.75).get(0);
        assertEquals(OptionalDouble.of(0.9), a.threshold());
    }

    @Test
    void anUnreachableOrNeverPredictedClassHasNoThreshold() {
        float[] p = {0.15f, 0.7f, 0.15f, 0.1f, 0.6f, 0.3f};
        List<ClassThreshold> all = PrecisionThresholds.compute(p, new int[] {0, 1}, LABELS, 0.9);
        ClassThreshold b = all.get(1);
        assertEquals(OptionalDouble.empty(), b.threshold(), "top score of b is wrong: 0/1, then 1/2");
        assertEquals(0.5, b.precision(), 1e-9, "the best any threshold reaches");
        assertEquals(0, b.kept());
        ClassThreshold c = all.get(2);
        assertEquals(OptionalDouble.empty(), c.threshold());
        assertEquals(0, c.predicted());
        assertTrue(Double.isNaN(c.precision()));
    }

    @Test
    void thresholdsAreRoundedToSixDecimals() {
        ClassThreshold a = PrecisionThresholds.compute(predictedA(new double[] {0.8765436}), new int[] {0}, LABELS,
                0.9).get(0);
        assertEquals(0.876544, a.threshold().getAsDouble(), 1e-12);
    }

    @Test
    void aTargetOutsideZeroToOneIsRefused() {
        assertEquals("target precision is 1.5, allowed (0, 1]", assertThrows(IllegalArgumentException.class,
                () -> PrecisionThresholds.compute(new float[0], new int[0], LABELS, 1.5)).getMessage());
    }
}

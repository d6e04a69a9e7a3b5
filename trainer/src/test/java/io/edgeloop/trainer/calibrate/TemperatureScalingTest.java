package io.edgeloop.trainer.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    static final int CLASSES = 4;

    /**
     * Logits of a noisy classifier: every class scores N(0, 1), the true one 1.5 more; {@code scale} multiplies all
     * of them (above 1: the same decisions, overconfident; below 1: underconfident).
     */
    static LabelledScores synthetic(int images, double scale, long seed) {
        Random random = new Random(seed);
        float[] logits = new float[images * CLASSES];
        int[] truth = new int[images];
        for (int i = 0; i < images; i++) {
            truth[i] = random.nextInt(CLASSES);
            for (int c = 0; c < CLASSES; c++) {
                double z = random.nextGaussian() + (c == truth[i] ? 1.5 : 0);
                logits[i * CLASSES + c] = (float) (scale * z);
            }
        }
        return new LabelledScores(CLASSES, logits, truth);
    }

    static double ece(LabelledScores s, double temperature) {
        return ReliabilityDiagram.of(s.probabilities(temperature), s.truth(), s.classes(), 15).ece();
    }

    @Test
    void anOverconfidentModelGetsATemperatureAboveOneAndALowerEceOnHeldOutImages() {
        LabelledScores fitOn = synthetic(2000, 4, 1);
        LabelledScores heldOut = synthetic(2000, 4, 2);
        TemperatureScaling.Fit fit = TemperatureScaling.fit(fitOn);
        assertTrue(fit.temperature() > 2, "T = " + fit.temperature());
        assertTrue(fit.nllAfter() < fit.nllBefore(), fit.toString());
        assertTrue(ece(heldOut, fit.temperature()) < 0.5 * ece(heldOut, 1), "held-out ECE "
                + ece(heldOut, 1) + " → " + ece(heldOut, fit.temperature()));
    }

    @Test
    void anUnderconfidentModelGetsATemperatureBelowOneAndALowerEceOnHeldOutImages() {
        LabelledScores fitOn = synthetic(2000, 0.25, 3);
        LabelledScores heldOut = synthetic(2000, 0.25, 4);
        TemperatureScaling.Fit fit = TemperatureScaling.fit(fitOn);
        assertTrue(fit.temperature() < 0.5, "T = " + fit.temperature());
        assertTrue(ece(heldOut, fit.temperature()) < 0.5 * ece(heldOut, 1), "held-out ECE "
                + ece(heldOut, 1) + " → " + ece(heldOut, fit.temperature()));
    }

    @Test
    void theTemperatureIsTheNllMinimum() {
        LabelledScores s = synthetic(500, 2, 5);
        double t = TemperatureScaling.fit(s).temperature();
        assertTrue(s.nll(t) <= s.nll(t * 1.01) && s.nll(t) <= s.nll(t / 1.01), "T = " + t);
    }

    @Test
    void matchesTheClosedFormForIdenticalTwoClassImages() {
        // every image scores [2, 0] and 3 in 4 are class 0: the best p0 = sigmoid(2 / T) is 0.75, so T = 2 / ln 3
        float[] logits = new float[4 * 2 * 25];
        int[] truth = new int[4 * 25];
        for (int i = 0; i < truth.length; i++) {
            logits[2 * i] = 2;
            truth[i] = i % 4 == 3 ? 1 : 0;
        }
        TemperatureScaling.Fit fit = TemperatureScaling.fit(new LabelledScores(2, logits, truth));
        assertEquals(2 / Math.log(3), fit.temperature(), 1e-3);
    }

    @Test
    void scoresThatDoNotDependOnTheTemperatureKeepOne() {
        LabelledScores flat = new LabelledScores(3, new float[3 * 10], new int[10]);
        assertEquals(1.0, TemperatureScaling.fit(flat).temperature());
    }

    @Test
    void perfectlySeparatedScoresStopAtTheLowestTemperature() {
        float[] logits = {5, 0, 0, 5};
        TemperatureScaling.Fit fit = TemperatureScaling.fit(new LabelledScores(2, logits, new int[] {0, 1}));
        assertEquals(TemperatureScaling.MIN_TEMPERATURE, fit.temperature(), 1e-3);
    }

    @Test
    void badInputIsRefusedWithItsReason() {
        assertEquals("logit 1 of image 0 is NaN, allowed a finite number", assertThrows(
                IllegalArgumentException.class, () -> new LabelledScores(2, new float[] {0, Float.NaN}, new int[1]))
                .getMessage());
        assertEquals("true class of image 0 is 2, allowed 0..1", assertThrows(IllegalArgumentException.class,
                () -> new LabelledScores(2, new float[2], new int[] {2})).getMessage());
        assertEquals("no images to fit a temperature on, allowed at least 1", assertThrows(
                IllegalArgumentException.class, () -> TemperatureScaling.fit(new LabelledScores(2, new float[0],
                        new int[0]))).getMessage());
    }
}

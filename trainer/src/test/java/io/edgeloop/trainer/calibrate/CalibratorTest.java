package io.edgeloop.trainer.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CalibratorTest {

    static final List<String> LABELS = List.of("a", "b", "c", "d");

    @Test
    void fitsTheTemperatureAndDerivesThresholdsFromTheCalibratedScores() {
        LabelledScores s = TemperatureScalingTest.synthetic(1000, 4, 11);
        Calibration c = Calibrator.DEFAULT.calibrate(s, LABELS);
        assertTrue(c.fitted());
        assertTrue(c.temperature() > 2, c.summary());
        assertTrue(c.after().ece() < c.before().ece(), c.summary());
        assertEquals(15, c.bins());
        assertEquals(1000, c.images());
        assertEquals(4, c.thresholds().size());
        // the thresholds are those of the calibrated scores, not of the raw ones
        assertEquals(PrecisionThresholds.compute(s.probabilities(c.temperature()), s.truth(), LABELS, 0.9),
                c.thresholds());
        assertEquals(4, c.reachedThresholds().size(), c.thresholds().toString());
        assertTrue(c.summary().matches("temperature \\d\\.\\d{3}, ECE 0\\.\\d{3} → 0\\.\\d{3} \\(1000 validation"
                + " images, 15 bins\\)"), c.summary());
    }

    @Test
    void tooFewImagesKeepTemperatureOneAndSayWhy() {
        LabelledScores s = TemperatureScalingTest.synthetic(Calibrator.MIN_IMAGES - 1, 4, 12);
        Calibration c = Calibrator.DEFAULT.calibrate(s, LABELS);
        assertFalse(c.fitted());
        assertEquals(1.0, c.temperature());
        assertEquals(Optional.of("19 validation images, at least 20 needed"), c.notFitted());
        assertEquals(List.of(), c.thresholds());
        assertEquals(c.before(), c.after());
        assertTrue(c.summary().startsWith("temperature 1 (not fitted: 19 validation images, at least 20 needed),"
                + " ECE "), c.summary());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("--target-precision is 0.0, allowed 0 < P <= 1", assertThrows(IllegalArgumentException.class,
                () -> new Calibrator(15, 0)).getMessage());
        assertEquals("bins is 0, allowed 1..1000", assertThrows(IllegalArgumentException.class,
                () -> new Calibrator(0, 0.9)).getMessage());
    }
}

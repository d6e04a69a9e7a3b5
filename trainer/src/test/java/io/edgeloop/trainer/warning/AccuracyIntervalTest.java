package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.Evaluation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyIntervalTest {

    /**
     * Reference values of Wilson's score interval (z = 1.959964): statsmodels'
     * {@code proportion_confint(k, n, method="wilson")} gives (0.3968, 0.8922) for 7 of 10 and (0, 0.2775) for 0 of
     * 10; the others were computed from the closed form with Python.
     */
    @Test
    void matchesKnownWilsonIntervals() {
        assertInterval(AccuracyInterval.wilson(7, 10), 0.396778147, 0.892208733);
        assertInterval(AccuracyInterval.wilson(0, 10), 0.0, 0.277532800);
        assertInterval(AccuracyInterval.wilson(10, 10), 0.722467200, 1.0);
        assertInterval(AccuracyInterval.wilson(109, 120), 0.843291530, 0.948042817);
        assertInterval(AccuracyInterval.wilson(81, 263), 0.255288520, 0.366209577);
        assertInterval(AccuracyInterval.wilson(1, 2), 0.094531206, 0.905468794);
    }

    @Test
    void describesItselfAsTheSummaryLineDoes() {
        assertEquals("90.8 % (95 % CI 84.3–94.8 %, n=120)", AccuracyInterval.wilson(109, 120).describe());
    }

    @Test
    void imagesForIsTheSmallestSetReachingTheWidth() {
        // smallest n with a Wilson half width <= 0.05, found by counting up in Python; the normal approximation
        // would say 1.96² · 0.25 / 0.05² ≈ 384 at 50 %
        assertEquals(381, AccuracyInterval.imagesFor(0.5, 0.05));
        assertEquals(320, AccuracyInterval.imagesFor(0.7, 0.05));
        assertEquals(141, AccuracyInterval.imagesFor(0.9, 0.05));
        // at 100 % the interval is [n / (n + z²), 1]: half width z² / (2 (n + z²)) <= 0.05 from n = 9 z² = 34.6
        assertEquals(35, AccuracyInterval.imagesFor(1.0, 0.05));
        assertEquals(35, AccuracyInterval.imagesFor(0.0, 0.05));
        assertTrue(AccuracyInterval.wilson(35, 35).halfWidth() <= 0.05);
        assertTrue(AccuracyInterval.wilson(34, 34).halfWidth() > 0.05);
    }

    @Test
    void countsTheCorrectImagesFromTheConfusionMatrix() {
        Evaluation e = new Evaluation(List.of("a", "b"), 10, 0.7, 0.5,
                List.of(new ClassMetrics("a", 1, 1, 1, 5), new ClassMetrics("b", 1, 1, 1, 5)),
                new int[][] {{4, 1}, {2, 3}}, List.of());
        AccuracyInterval ci = AccuracyInterval.of(e);
        assertEquals(7, ci.correct());
        assertEquals(10, ci.images());
        assertInterval(ci, 0.396778147, 0.892208733);
    }

    @Test
    void badCountsAreNamed() {
        assertEquals("images is 0, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> AccuracyInterval.wilson(0, 0)).getMessage());
        assertEquals("correct is 11, allowed 0..10",
                assertThrows(IllegalArgumentException.class, () -> AccuracyInterval.wilson(11, 10)).getMessage());
        assertEquals("halfWidth is 0.0, allowed 0 < halfWidth < 0.5",
                assertThrows(IllegalArgumentException.class, () -> AccuracyInterval.imagesFor(0.5, 0))
                        .getMessage());
    }

    private static void assertInterval(AccuracyInterval ci, double low, double high) {
        assertEquals(low, ci.low(), 1e-8, "low");
        assertEquals(high, ci.high(), 1e-8, "high");
    }
}

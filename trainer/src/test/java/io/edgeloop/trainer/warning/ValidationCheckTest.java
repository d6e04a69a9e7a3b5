package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.Evaluation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationCheckTest {

    @Test
    void aSmallSetGetsItsIntervalAndTheSizeThatWouldDo() {
        RunWarning w = ValidationCheck.check(Optional.of(evaluation(16, 4)), "validation", "add images").get();
        assertEquals(WarningCode.VALIDATION_TOO_SMALL, w.code());
        assertEquals("the validation accuracy 80.0 % rests on 20 images: its 95 % interval is 58.4–91.9 % (±16.8"
                + " points), too wide to compare runs or trust the number; about 245 validation images would narrow"
                + " it to ±5 points", w.message());
        assertEquals(245, AccuracyInterval.imagesFor(0.8, 0.05)); // counted up in Python
        assertEquals("add images", w.advice());
    }

    @Test
    void aLargeEnoughSetHasNoWarning() {
        assertTrue(ValidationCheck.check(Optional.of(evaluation(360, 40)), "validation", "x").isEmpty());
    }

    @Test
    void fewerThanTheMinimumWarnsEvenWhenEverythingIsRight() {
        // 29 of 29: the interval 88.3–100 % is ±5.8 points; 35 would do
        RunWarning w = ValidationCheck.check(Optional.of(evaluation(29, 0)), "evaluation", "x").get();
        assertTrue(w.message().startsWith("the evaluation accuracy 100.0 % rests on 29 images"), w.message());
        assertTrue(w.message().endsWith("about 35 evaluation images would narrow it to ±5 points"), w.message());
        // 40 of 40: ±4.4 points and above the minimum
        assertTrue(ValidationCheck.check(Optional.of(evaluation(40, 0)), "evaluation", "x").isEmpty());
    }

    @Test
    void noValidationAtAllIsSaid() {
        RunWarning w = ValidationCheck.check(Optional.empty(), "validation", "use --val").get();
        assertEquals(WarningCode.NO_VALIDATION, w.code());
        assertEquals("warning (no-validation): there are no validation images: the accuracy of this run is unknown\n"
                + "  what to do: use --val", w.toText());
    }

    /** Two classes; {@code correct} right and {@code wrong} wrong, split evenly. */
    static Evaluation evaluation(int correct, int wrong) {
        int n = correct + wrong;
        int[][] confusion = {{correct - correct / 2, wrong / 2}, {wrong - wrong / 2, correct / 2}};
        return new Evaluation(List.of("a", "b"), n, (double) correct / n, 0.5,
                List.of(new ClassMetrics("a", 1, 1, 1, n / 2), new ClassMetrics("b", 1, 1, 1, n - n / 2)), confusion,
                List.of());
    }
}

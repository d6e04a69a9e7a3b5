package io.edgeloop.trainer.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.trainer.compare.PairedComparison;
import io.edgeloop.trainer.compare.PairedComparison.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The gate's rule on constructed outcomes: significance, the optional drop limit, and bad settings. */
class GateRuleTest {

    /** {@code n} images of class "a"; the baseline gets the first {@code baseline} right, the candidate the first
     * {@code candidate} right. */
    private static PairedComparison pairs(int n, int baseline, int candidate, double alpha) {
        List<Outcome> a = new ArrayList<>();
        List<Outcome> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = Path.of("a", i + ".jpg");
            a.add(new Outcome(file, "a", i < baseline ? "a" : "b"));
            b.add(new Outcome(file, "a", i < candidate ? "a" : "b"));
        }
        return PairedComparison.of(List.of("a", "b"), a, b, alpha);
    }

    @Test
    void significantlyWorseIsRefusedWithThePValue() {
        // 20 images only the baseline got right, none only the candidate: p = 2 * 0.5^20
        PairedComparison c = pairs(100, 90, 70, 0.05);
        assertEquals(Optional.of("significantly worse (McNemar p = 1.91e-06 < alpha 0.05)"),
                GateRule.DEFAULT.refusal(c));
    }

    @Test
    void aDropTheTestCannotCallIsAcceptedUnlessMaxDropSaysOtherwise() {
        PairedComparison c = pairs(100, 90, 87, 0.05); // 3 discordant: p = 0.25
        assertEquals(Optional.empty(), GateRule.DEFAULT.refusal(c));
        assertEquals(Optional.empty(), new GateRule(0.05, OptionalDouble.of(3)).refusal(c));
        assertEquals(Optional.of("3.0 accuracy points lower, more than --max-drop 2.5"),
                new GateRule(0.05, OptionalDouble.of(2.5)).refusal(c));
    }

    @Test
    void betterAndEqualPass() {
        assertEquals(Optional.empty(), GateRule.DEFAULT.refusal(pairs(100, 70, 90, 0.05)));
        assertEquals(Optional.empty(), new GateRule(0.05, OptionalDouble.of(0)).refusal(pairs(50, 40, 40, 0.05)));
    }

    @Test
    void badSettingsNameTheOption() {
        assertEquals("--alpha is 0.0, allowed 0 < alpha <= 0.5 (e.g. 0.05)", assertThrows(
                IllegalArgumentException.class, () -> new GateRule(0, OptionalDouble.empty())).getMessage());
        assertEquals("--max-drop is -1.0, allowed 0 to 100 accuracy points", assertThrows(
                IllegalArgumentException.class, () -> new GateRule(0.05, OptionalDouble.of(-1))).getMessage());
    }
}

package io.edgeloop.trainer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.compare.PairedComparison.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** McNemar's exact test and the verdict on constructed cases with known answers. */
class McNemarTest {

    @Test
    void exactPValuesMatchTheBinomialTails() {
        assertEquals(2.0 / 1024, McNemar.of(0, 10).pValue(), 1e-15); // 2 · 0.5^10
        assertEquals(2.0 * (1 + 10 + 45) / 1024, McNemar.of(2, 8).pValue(), 1e-15); // 0.109375
        assertEquals(2.0 / 32, McNemar.of(5, 0).pValue(), 1e-15); // 5 to 0 is not yet significant at 0.05
        assertEquals(1.0, McNemar.of(5, 5).pValue());
        assertEquals(1.0, McNemar.of(0, 0).pValue());
        assertEquals(McNemar.of(3, 17).pValue(), McNemar.of(17, 3).pValue(), 1e-15);
        // large counts stay finite and agree with the normal approximation's order of magnitude (z = 2.70)
        double p = McNemar.of(400, 480).pValue();
        assertTrue(p > 0.005 && p < 0.01, "p " + p);
    }

    @Test
    void theVerdictNeedsSignificanceAndNamesTheDirection() {
        assertEquals(Verdict.BETTER, Verdict.of(McNemar.of(0, 10), 0.05));
        assertEquals(Verdict.WORSE, Verdict.of(McNemar.of(10, 0), 0.05));
        assertEquals(Verdict.NOT_DISTINGUISHABLE, Verdict.of(McNemar.of(2, 8), 0.05));
        assertEquals(Verdict.BETTER, Verdict.of(McNemar.of(2, 8), 0.2));
        assertEquals(Verdict.NOT_DISTINGUISHABLE, Verdict.of(McNemar.of(0, 5), 0.05));
    }

    @Test
    void outcomesArePairedByFileAndCountedPerClass() {
        List<Outcome> a = new ArrayList<>();
        List<Outcome> b = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String truth = i < 10 ? "cat" : "dog";
            Path file = Path.of(truth, i + ".jpg");
            a.add(new Outcome(file, truth, i < 10 ? "cat" : i < 14 ? "cat" : "dog")); // 4 dogs wrong
            b.add(new Outcome(file, truth, i == 3 ? "dog" : truth)); // 1 cat wrong
        }
        List<Outcome> shuffled = new ArrayList<>(b);
        java.util.Collections.reverse(shuffled); // pairing is by file, not by position
        PairedComparison c = PairedComparison.of(List.of("cat", "dog"), a, shuffled, 0.05);
        assertEquals(20, c.images());
        assertEquals(16, c.baselineCorrect());
        assertEquals(19, c.candidateCorrect());
        assertEquals(1, c.test().baselineOnly());
        assertEquals(4, c.test().candidateOnly());
        assertEquals(Verdict.NOT_DISTINGUISHABLE, c.verdict());
        assertEquals(-10.0, c.perClass().get(0).recallDeltaPoints(), 1e-12);
        assertEquals(40.0, c.perClass().get(1).recallDeltaPoints(), 1e-12);

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(List.of("cat", "dog"), a, b.subList(0, 19), 0.05));
        assertEquals("the models were scored on different images (20 and 19); compare needs both on the same ones",
                other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(List.of("cat"), a, b, 0.7));
    }
}

package io.edgeloop.trainer.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceTest {

    @Test
    void jensenShannonIsZeroForEqualOneForDisjointAndSymmetric() {
        double[] even = {0.25, 0.25, 0.25, 0.25};
        assertEquals(0, Divergence.jensenShannon(even, even), 1e-12);
        assertEquals(1, Divergence.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-12);
        double[] skewed = {0.7, 0.1, 0.1, 0.1};
        assertEquals(Divergence.jensenShannon(even, skewed), Divergence.jensenShannon(skewed, even), 1e-12);
        // by hand: m = (0.475, 0.175 x3); 0.5 * (KL(skewed||m) + KL(even||m)) in bits
        double m1 = 0.475;
        double m2 = 0.175;
        double expected = 0.5 * (0.7 * log2(0.7 / m1) + 3 * 0.1 * log2(0.1 / m2)
                + 0.25 * log2(0.25 / m1) + 3 * 0.25 * log2(0.25 / m2));
        assertEquals(expected, Divergence.jensenShannon(skewed, even), 1e-12);
        // a category empty on one side is fine (no smoothing needed)
        assertEquals(0.5 * (0.5 * log2(0.5 / 0.25) + 0.5 * log2(0.5 / 0.75) + log2(1 / 0.75)),
                Divergence.jensenShannon(new double[] {0.5, 0.5}, new double[] {0, 1}), 1e-12);
    }

    @Test
    void sharesAndLengthChecks() {
        assertEquals(List.of(0.25, 0.75), toList(Divergence.shares(List.of(1L, 3L))));
        assertEquals(List.of(0.0, 0.0), toList(Divergence.shares(List.of(0L, 0L))));
        assertEquals("distributions have 2 and 3 categories, allowed equal lengths", assertThrows(
                IllegalArgumentException.class, () -> Divergence.jensenShannon(new double[2], new double[3]))
                .getMessage());
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static List<Double> toList(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}

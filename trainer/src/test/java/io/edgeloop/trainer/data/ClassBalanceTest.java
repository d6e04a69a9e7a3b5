package io.edgeloop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassBalanceTest {

    @Test
    void inverseFrequencyWeightsAreBalanced() {
        // N = 100, K = 2: 100 / (2 × 90) and 100 / (2 × 10)
        assertArrayEquals(new float[] {100f / 180, 5f}, ClassBalance.inverseFrequencyWeights(new int[] {90, 10}),
                1e-6f);
        assertArrayEquals(new float[] {1f, 1f, 1f}, ClassBalance.inverseFrequencyWeights(new int[] {7, 7, 7}));
        assertArrayEquals(new float[] {1f, 0f, 1f}, ClassBalance.inverseFrequencyWeights(new int[] {4, 0, 4}));
    }

    @Test
    void shuffleIsAPermutationFixedBySeedAndEpoch() {
        int[] a = ClassBalance.shuffledOrder(100, 5, 1);
        assertArrayEquals(a, ClassBalance.shuffledOrder(100, 5, 1));
        assertFalse(Arrays.equals(a, ClassBalance.shuffledOrder(100, 5, 2)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void balancedSamplerDrawsRareClassesAsOftenAsCommonOnes() {
        List<ImageSample> samples = new ArrayList<>();
        for (int i = 0; i < 950; i++) {
            samples.add(new ImageSample(Path.of("a" + i), "a/" + i, 0));
        }
        for (int i = 0; i < 50; i++) {
            samples.add(new ImageSample(Path.of("b" + i), "b/" + i, 1));
        }
        int[] order = ClassBalance.balancedOrder(samples, 2, 3, 1);
        assertEquals(1000, order.length);
        long rare = Arrays.stream(order).filter(i -> samples.get(i).label() == 1).count();
        assertTrue(rare > 440 && rare < 560, "rare class drawn " + rare + " times of 1000");
        assertArrayEquals(order, ClassBalance.balancedOrder(samples, 2, 3, 1));
    }
}

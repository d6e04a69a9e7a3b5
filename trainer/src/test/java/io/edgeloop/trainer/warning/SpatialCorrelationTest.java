package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The adjacent-tap statistic on generated kernels: independent draws (normal, uniform, heavy-tailed — the shapes of
 * torchvision's inits and of trained weights' marginals) stay near 0 whatever their distribution; smooth kernels
 * (what training makes) are clearly positive.
 */
class SpatialCorrelationTest {

    private static final long[] SHAPE = {64, 32, 3, 3};

    @Test
    void independentTapsAreUncorrelatedWhateverTheirDistribution() {
        SplittableRandom random = new SplittableRandom(3);
        float[] normal = new float[size()];
        float[] uniform = new float[size()];
        float[] heavy = new float[size()];
        for (int i = 0; i < size(); i++) {
            normal[i] = (float) random.nextGaussian();
            uniform[i] = (float) (random.nextDouble() * 2 - 1);
            // Student t with 3 degrees of freedom: heavy tails, like trained weights' marginal distribution
            double chi = 0;
            for (int k = 0; k < 3; k++) {
                double g = random.nextGaussian();
                chi += g * g;
            }
            heavy[i] = (float) (random.nextGaussian() / Math.sqrt(chi / 3));
        }
        for (float[] w : new float[][] {normal, uniform, heavy}) {
            SpatialCorrelation c = SpatialCorrelation.ofLayer(w, SHAPE);
            assertEquals(64 * 32 * 12, c.pairs()); // 6 horizontal + 6 vertical pairs per 3x3 kernel
            assertTrue(Math.abs(c.z()) < 4, "z = " + c.z());
            assertTrue(c.z() < BaseWeights.MAX_RANDOM_Z);
        }
    }

    @Test
    void smoothKernelsAreClearlyCorrelated() {
        SplittableRandom random = new SplittableRandom(5);
        float[] w = new float[size()];
        for (int k = 0; k < 64 * 32; k++) {
            // a random oriented ramp plus noise: what edge-detecting trained kernels look like
            double gx = random.nextGaussian();
            double gy = random.nextGaussian();
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    w[k * 9 + y * 3 + x] = (float) (gx * (x - 1) + gy * (y - 1) + 0.5 + 0.5 * random.nextGaussian());
                }
            }
        }
        SpatialCorrelation c = SpatialCorrelation.ofLayer(w, SHAPE);
        assertTrue(c.r() > 0.1, "r = " + c.r());
        assertTrue(c.z() > 10 * BaseWeights.MAX_RANDOM_Z, "z = " + c.z());
    }

    @Test
    void oneByOneKernelsHaveNoPairsAndPoolingWeighsByPairs() {
        assertEquals(SpatialCorrelation.NONE, SpatialCorrelation.ofLayer(new float[] {1, 2, 3, 4},
                new long[] {4, 1, 1, 1}));
        SpatialCorrelation a = new SpatialCorrelation(0.4, 300, 1);
        SpatialCorrelation b = new SpatialCorrelation(0.0, 100, 1);
        SpatialCorrelation pooled = a.plus(b);
        assertEquals(0.3, pooled.r(), 1e-12);
        assertEquals(400, pooled.pairs());
        assertEquals(2, pooled.layers());
        assertEquals(6.0, pooled.z(), 1e-12);
    }

    @Test
    void aShapeThatDoesNotFitIsNamed() {
        assertEquals("conv weight has 8 values but its shape [1, 1, 3, 3] holds 9",
                assertThrows(IllegalArgumentException.class,
                        () -> SpatialCorrelation.ofLayer(new float[8], new long[] {1, 1, 3, 3})).getMessage());
    }

    private static int size() {
        return 64 * 32 * 9;
    }
}

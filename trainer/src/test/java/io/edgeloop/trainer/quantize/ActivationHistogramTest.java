package io.edgeloop.trainer.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each range method on constructed activations whose right answer is known. */
class ActivationHistogramTest {

    /** Both passes over the same values, as the calibrator does. */
    static ActivationHistogram observed(float[] values) {
        ActivationHistogram h = new ActivationHistogram();
        h.observeRange(FloatBuffer.wrap(values));
        h.freeze();
        h.observeValues(FloatBuffer.wrap(values));
        return h;
    }

    @Test
    void percentileIgnoresAnOutlierThatMinmaxKeeps() {
        Random random = new Random(1);
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 4; // post-ReLU: uniform in [0, 4)
        }
        values[12_345] = 100; // one outlier
        ActivationHistogram h = observed(values);
        assertEquals(new TensorRange(0, 100), h.range(RangeMethod.MINMAX));
        TensorRange p = h.range(RangeMethod.PERCENTILE);
        assertEquals(0, p.min());
        assertTrue(p.max() >= 3.9f && p.max() <= 4.1f, "percentile max " + p.max());
        assertEquals(0, p.uint8().zeroPoint()); // a ReLU's range starts at 0: ORT can drop the ReLU
    }

    @Test
    void entropyPicksAThresholdBelowTheMaxOnALongTail() {
        Random random = new Random(2);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) -Math.log(1 - random.nextDouble()); // exponential(1): long right tail
        }
        ActivationHistogram h = observed(values);
        float max = h.max();
        assertTrue(max > 10, "max " + max);
        TensorRange e = h.range(RangeMethod.ENTROPY);
        assertEquals(0, e.min());
        // most of the mass is below 5; a threshold near the max would waste most of the 256 levels on the tail
        assertTrue(e.max() < 0.75 * max && e.max() > 3, "entropy threshold " + e.max() + " of max " + max);
    }

    @Test
    void entropyKeepsTheWholeRangeWhenNothingIsInATail() {
        float[] values = new float[50_000];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 2;
        }
        TensorRange e = observed(values).range(RangeMethod.ENTROPY);
        assertTrue(e.max() > 1.9f, "uniform data loses nothing at its max, threshold " + e.max());
    }

    @Test
    void signedTensorsGetAnAsymmetricRangeContainingZero() {
        Random random = new Random(4);
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() - 1);
        }
        values[0] = -40; // outlier on the negative side only
        ActivationHistogram h = observed(values);
        TensorRange minmax = h.range(RangeMethod.MINMAX);
        assertEquals(-40f, minmax.min());
        TensorRange p = h.range(RangeMethod.PERCENTILE);
        assertTrue(p.min() > -6 && p.min() < -4, "percentile min " + p.min());
        assertTrue(p.max() > 2 && p.max() < 4, "percentile max " + p.max());
        TensorRange e = h.range(RangeMethod.ENTROPY);
        assertTrue(e.min() > -20, "entropy clips the outlier: " + e.min());
        QuantParams q = p.uint8();
        assertEquals(Math.round(-p.min() / q.scale()), q.zeroPoint());
    }

    @Test
    void aRangeAlwaysContainsZero() {
        ActivationHistogram h = observed(new float[] {2, 3, 5});
        assertEquals(new TensorRange(0, 5), h.range(RangeMethod.MINMAX));
        assertEquals(new QuantParams(1f, 0), new TensorRange(0, 0).uint8());
    }

    @Test
    void methodsNeedTheirPasses() {
        ActivationHistogram h = new ActivationHistogram();
        h.observeRange(FloatBuffer.wrap(new float[] {1, 2}));
        assertEquals("percentile needs the histogram pass (freeze, observeValues)",
                assertThrows(IllegalStateException.class, () -> h.range(RangeMethod.PERCENTILE)).getMessage());
        assertEquals("--method is 'kl', allowed one of [minmax, percentile, entropy]",
                assertThrows(IllegalArgumentException.class, () -> RangeMethod.of("--method", "kl")).getMessage());
    }
}

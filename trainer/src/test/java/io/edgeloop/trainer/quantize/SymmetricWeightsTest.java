package io.edgeloop.trainer.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricWeightsTest {

    @Test
    void perChannelRoundTripErrorIsAtMostHalfAStep() {
        Random random = new Random(7);
        int channels = 16;
        int per = 3 * 3 * 8;
        float[] w = new float[channels * per];
        for (int c = 0; c < channels; c++) {
            double magnitude = Math.pow(10, -3 + c * 0.25); // channels differ by three orders of magnitude
            for (int i = 0; i < per; i++) {
                w[c * per + i] = (float) (random.nextGaussian() * magnitude);
            }
        }
        SymmetricWeights q = SymmetricWeights.of(w, channels);
        assertEquals(channels, q.scales().length);
        float[] back = q.dequantized();
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            assertEquals(max / 127f, q.scales()[c], 1e-6f * max, "scale of channel " + c);
            for (int i = c * per; i < (c + 1) * per; i++) {
                float error = Math.abs(back[i] - w[i]);
                assertTrue(error <= q.scales()[c] / 2 * (1 + 1e-5f), "weight " + i + ": error " + error
                        + " > scale/2 " + q.scales()[c] / 2);
                assertTrue(q.values()[i] >= -127 && q.values()[i] <= 127);
            }
        }
        // per tensor, the small channels would lose almost everything: per channel is what keeps them
        SymmetricWeights whole = SymmetricWeights.of(w, 1);
        assertEquals(1, whole.scales().length);
        assertTrue(whole.scales()[0] > 100 * q.scales()[0]);
    }

    @Test
    void theLargestWeightMapsTo127AndAZeroChannelStaysZero() {
        SymmetricWeights q = SymmetricWeights.of(new float[] {0.5f, -1f, 0.25f, 0f, 0f, 0f}, 2);
        assertEquals(-127, q.values()[1]);
        assertEquals(64, q.values()[0]);
        assertEquals(1f, q.scales()[1]);
        assertEquals(0, q.values()[4]);
    }

    @Test
    void badInputNamesWhatIsAllowed() {
        assertEquals("5 weights do not split into 2 channels, allowed a channel count that divides the weight count",
                assertThrows(IllegalArgumentException.class, () -> SymmetricWeights.of(new float[5], 2))
                        .getMessage());
        assertEquals("weight 1 is NaN, allowed finite numbers", assertThrows(IllegalArgumentException.class,
                () -> SymmetricWeights.of(new float[] {1, Float.NaN}, 1)).getMessage());
    }
}

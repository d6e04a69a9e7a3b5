package io.edgeloop.agent.hard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.edgeloop.protocol.preprocess.DifferenceHash;

import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HardExampleSelectorTest {

    private static Classification c(double top1, double top2) {
        return new Classification("a", top1, top1 - top2,
                List.of(new Classification.Ranked("a", top1), new Classification.Ranked("b", top2)), 0);
    }

    private static HardExamplesConfig config(int perMinute, int perHour, int perDay, int distance) {
        return new HardExamplesConfig(true, 0.6, 0.1, perMinute, perHour, perDay, distance, 85, 640);
    }

    @Test
    void uncertaintyByConfidenceOrMargin() {
        HardExampleSelector s = new HardExampleSelector(config(10, 10, 10, 0));
        assertEquals(HardExampleReason.LOW_CONFIDENCE, s.uncertainty(c(0.5, 0.3)));
        assertEquals(HardExampleReason.MARGIN, s.uncertainty(c(0.62, 0.58)));
        assertNull(s.uncertainty(c(0.9, 0.05)));
        assertNull(new HardExampleSelector(HardExamplesConfig.DEFAULT).uncertainty(c(0.1, 0.1)));
    }

    @Test
    void rateLimitsPerMinuteHourAndDay() {
        HardExampleSelector s = new HardExampleSelector(config(2, 3, 4, 0));
        long t = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 86_400_000L); // start of a day
        assertTrue(s.accept(() -> 1, t));
        assertTrue(s.accept(() -> 2, t + 1000));
        assertFalse(s.accept(() -> 3, t + 2000)); // minute budget spent
        assertTrue(s.accept(() -> 4, t + 61_000)); // next minute
        assertFalse(s.accept(() -> 5, t + 122_000)); // hour budget (3) spent
        assertTrue(s.accept(() -> 6, t + 3_600_000)); // next hour
        assertFalse(s.accept(() -> 7, t + 7_200_000)); // day budget (4) spent
        assertTrue(s.accept(() -> 8, t + 86_400_000)); // next day
        assertEquals(3, s.suppressedRate());
    }

    @Test
    void framesOverBudgetAreNotHashed() {
        HardExampleSelector s = new HardExampleSelector(config(1, 10, 10, 0));
        int[] hashed = {0};
        assertTrue(s.accept(() -> ++hashed[0], 0));
        for (int i = 1; i <= 100; i++) {
            assertFalse(s.accept(() -> ++hashed[0], i));
        }
        assertEquals(1, hashed[0], "only the frame within budget was hashed");
        assertEquals(100, s.suppressedRate());
    }

    @Test
    void nearDuplicatesAreSuppressed() {
        Random r = new Random(9);
        BufferedImage scene = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        var g = scene.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.BLACK, 160, 120, Color.WHITE));
        g.fillRect(0, 0, 160, 120);
        g.setColor(Color.RED);
        g.fillOval(40, 30, 50, 40);
        g.dispose();
        BufferedImage noisy = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int p = scene.getRGB(x, y);
                int n = r.nextInt(5) - 2;
                int v = Math.max(0, Math.min(255, (p & 0xFF) + n));
                noisy.setRGB(x, y, (p & 0xFFFF00) | v);
            }
        }
        BufferedImage other = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        var g2 = other.createGraphics();
        g2.setPaint(new java.awt.GradientPaint(160, 0, Color.BLACK, 0, 120, Color.WHITE));
        g2.fillRect(0, 0, 160, 120);
        g2.dispose();
        long a = DifferenceHash.of(scene);
        long b = DifferenceHash.of(noisy);
        long c = DifferenceHash.of(other);
        assertTrue(DifferenceHash.distance(a, b) <= 6, "noise moved the hash by " + DifferenceHash.distance(a, b));
        assertTrue(DifferenceHash.distance(a, c) > 20, "different scenes only " + DifferenceHash.distance(a, c));
        HardExampleSelector s = new HardExampleSelector(config(100, 100, 100, 6));
        assertTrue(s.accept(() -> a, 0));
        assertFalse(s.accept(() -> b, 1));
        assertTrue(s.accept(() -> c, 2));
        assertEquals(1, s.suppressedDuplicates());
    }
}

package io.edgeloop.protocol.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheMaximumAndResets() {
        Backoff b = new Backoff(100, 1000, new Random(1));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            long d = b.nextDelayMillis();
            assertTrue(d >= ceiling / 2 && d <= ceiling, d + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
        b.reset();
        long d = b.nextDelayMillis();
        assertTrue(d >= 50 && d <= 100, "after reset " + d);
    }

    @Test
    void jitterSpreadsAFleet() {
        Random seeds = new Random(42);
        java.util.Set<Long> delays = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            delays.add(new Backoff(1000, 60_000, new Random(seeds.nextLong())).nextDelayMillis());
        }
        assertTrue(delays.size() >= 8, "ten agents drew only " + delays);
    }

    @Test
    void rejectsBadBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(500, 100, new Random()));
        assertEquals("backoff is 500..100 ms, allowed 1 <= initial <= max", e.getMessage());
    }
}

package io.edgeloop.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreAccurateToOneBucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1_000_000L); // 1..100 ms
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(100, s.count());
        double p50 = s.percentileMillis(0.5);
        double p95 = s.percentileMillis(0.95);
        assertTrue(p50 >= 50 && p50 <= 50 * 1.3, "p50 " + p50);
        assertTrue(p95 >= 95 && p95 <= 95 * 1.3, "p95 " + p95);
    }

    @Test
    void bucketsCoverTenMicrosecondsToAHundredSeconds() {
        assertEquals(0, LatencyHistogram.bucket(1));
        assertEquals(0, LatencyHistogram.bucket(10_000));
        assertEquals(63, LatencyHistogram.bucket(100_000_000_000L));
        assertEquals(63, LatencyHistogram.bucket(Long.MAX_VALUE));
        assertEquals(100_000, LatencyHistogram.upperBoundMillis(63), 1e-6);
        assertEquals(10, LatencyHistogram.upperBoundMillis(LatencyHistogram.bucket(10_000_000)), 1e-9);
    }

    @Test
    void intervalSnapshotsSubtract() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000_000);
        LatencyHistogram.Snapshot first = h.snapshot();
        h.record(50_000_000);
        h.record(50_000_000);
        LatencyHistogram.Snapshot interval = h.snapshot().minus(first);
        assertEquals(2, interval.count());
        assertTrue(interval.percentileMillis(0.5) >= 50);
        assertTrue(Double.isNaN(LatencyHistogram.Snapshot.empty().percentileMillis(0.5)));
    }
}

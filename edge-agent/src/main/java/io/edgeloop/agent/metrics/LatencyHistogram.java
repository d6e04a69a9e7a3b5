package io.edgeloop.agent.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small fixed histogram of durations: 64 logarithmic buckets from 10 µs to about 100 s (each ~29% wider than the
 * previous), lock-free to record, no allocation. Percentiles are reported as the upper bound of the bucket they fall
 * in, so they are accurate to one bucket width.
 */
public final class LatencyHistogram {

    private static final int BUCKETS = 64;
    private static final double MIN_NANOS = 10_000;
    private static final double GROWTH = Math.pow(10_000_000.0, 1.0 / (BUCKETS - 1)); // 10 µs · growth^63 = 100 s
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one duration in nanoseconds. */
    public void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    static int bucket(long nanos) {
        if (nanos <= MIN_NANOS) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log(nanos / MIN_NANOS) / LOG_GROWTH - 1e-9);
        return Math.min(BUCKETS - 1, b);
    }

    static double upperBoundMillis(int bucket) {
        return MIN_NANOS * Math.pow(GROWTH, bucket) / 1e6;
    }

    /** A consistent-enough copy of the counts (for a percentile report). */
    public Snapshot snapshot() {
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(c);
    }

    /** Counts at one moment; percentiles in milliseconds. */
    public static final class Snapshot {
        private final long[] counts;
        private final long total;

        Snapshot(long[] counts) {
            this.counts = counts;
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            this.total = t;
        }

        /** The samples recorded since an earlier snapshot of the same histogram. */
        public Snapshot minus(Snapshot earlier) {
            long[] c = counts.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(0, c[i] - earlier.counts[i]);
            }
            return new Snapshot(c);
        }

        /** An empty snapshot. */
        public static Snapshot empty() {
            return new Snapshot(new long[BUCKETS]);
        }

        public long count() {
            return total;
        }

        /** The p-quantile (0..1) in milliseconds, or NaN without samples. */
        public double percentileMillis(double p) {
            if (total == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(p * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.max(1, rank)) {
                    return upperBoundMillis(i);
                }
            }
            return upperBoundMillis(counts.length - 1);
        }
    }
}

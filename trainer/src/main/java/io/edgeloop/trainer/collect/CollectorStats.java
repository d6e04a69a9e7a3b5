package io.edgeloop.trainer.collect;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one collector, safe to read from any thread while messages arrive. */
public final class CollectorStats {

    /**
     * A consistent-enough copy of the counters.
     *
     * @param received       messages that arrived
     * @param stored         examples written to the inbox
     * @param duplicates     exact duplicates (same image SHA-256 already stored), skipped
     * @param nearDuplicates near duplicates (difference hash within the threshold), skipped
     * @param rejected       malformed messages (bad topic, payload or image), skipped
     * @param throttled      examples over the per-device hourly limit, skipped
     * @param failed         examples that could not be written (not acknowledged; delivered again)
     */
    public record Summary(long received, long stored, long duplicates, long nearDuplicates, long rejected,
                          long throttled, long failed) {

        /** One line for people: {@code received 5, stored 3, duplicates 1 (near 0), rejected 1, ...}. */
        @Override
        public String toString() {
            return "received " + received + ", stored " + stored + ", duplicates " + (duplicates + nearDuplicates)
                    + " (exact " + duplicates + ", near " + nearDuplicates + "), rejected " + rejected
                    + ", throttled " + throttled + ", failed " + failed;
        }
    }

    final AtomicLong received = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong nearDuplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    /**
     * The current counts. A message is counted received before its outcome, so the outcomes are read first and
     * {@code received} last: a summary never shows more outcomes than messages (it may show messages still being
     * handled, received without an outcome yet).
     */
    public Summary summary() {
        long s = stored.get();
        long d = duplicates.get();
        long n = nearDuplicates.get();
        long r = rejected.get();
        long t = throttled.get();
        long f = failed.get();
        return new Summary(received.get(), s, d, n, r, t, f);
    }
}

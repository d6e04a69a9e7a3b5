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

    /** The current counts. */
    public Summary summary() {
        return new Summary(received.get(), stored.get(), duplicates.get(), nearDuplicates.get(), rejected.get(),
                throttled.get(), failed.get());
    }
}

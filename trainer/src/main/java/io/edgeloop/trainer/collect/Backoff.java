package io.edgeloop.trainer.collect;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter between reconnect attempts: the n-th delay is drawn uniformly from
 * {@code [min, min(max, min·2^n)]}, so a fleet of collectors restarted together does not hammer the broker in step.
 * Not thread-safe; one per connection loop.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private int attempt;

    Backoff(Duration min, Duration max, Random random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff is " + min + ".." + max + ", allowed 1 ms <= min <= max");
        }
        this.random = random;
    }

    /** The delay before the next attempt. */
    long nextMillis() {
        long ceiling = attempt >= 30 ? maxMillis : Math.min(maxMillis, minMillis << attempt);
        attempt++;
        return minMillis + (long) (random.nextDouble() * (ceiling - minMillis));
    }

    /** Starts over after a successful connection. */
    void reset() {
        attempt = 0;
    }
}

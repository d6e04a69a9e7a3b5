package io.edgeloop.protocol.retry;

import java.util.Random;

/**
 * Exponential backoff with jitter: the n-th delay is drawn uniformly from [d/2, d] where
 * {@code d = min(max, initial * 2^n)}, so a fleet that lost its broker at once does not reconnect in lockstep.
 * Not thread-safe: one per retrying loop.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final Random random;
    private int attempt;

    /**
     * @param random source of jitter (seeded in tests)
     */
    public Backoff(long initialMillis, long maxMillis, Random random) {
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff is " + initialMillis + ".." + maxMillis
                    + " ms, allowed 1 <= initial <= max");
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The next delay in milliseconds; each call doubles the ceiling until {@code maxMillis}. */
    public long nextDelayMillis() {
        long ceiling = initialMillis << Math.min(attempt, 30);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        } else {
            attempt++;
        }
        long half = ceiling / 2;
        return half + (long) (random.nextDouble() * (ceiling - half + 1));
    }

    /** Starts again from the initial delay (after a success). */
    public void reset() {
        attempt = 0;
    }

    /** Number of delays handed out since the last reset, capped where the ceiling stops growing. */
    public int attempt() {
        return attempt;
    }
}

package io.edgeloop.agent.source;

/** Paces a loop at a frame rate without drift: each tick is scheduled from the start, not from the last wake-up. */
final class Pacer {

    private final long periodNanos;
    private long next;

    /** @param fps ticks per second; 0 means no pacing */
    Pacer(double fps) {
        this.periodNanos = fps > 0 ? (long) (1e9 / fps) : 0;
        this.next = System.nanoTime();
    }

    /** Sleeps until the next tick (if late by more than a period, starts over instead of bursting). */
    void await() throws InterruptedException {
        if (periodNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next - now > 0) {
            long wait = next - now;
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } else if (now - next > periodNanos) {
            next = now;
        }
        next += periodNanos;
    }

    boolean paced() {
        return periodNanos > 0;
    }
}

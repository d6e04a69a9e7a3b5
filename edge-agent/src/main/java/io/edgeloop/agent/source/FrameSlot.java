package io.edgeloop.agent.source;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera's single-slot hand-off between its source and its inference worker: the latest frame wins, a frame
 * replaced before the worker took it counts as dropped (stale). Thread-safe.
 */
public final class FrameSlot implements FrameSink {

    private Frame frame;
    private boolean closed;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();

    @Override
    public synchronized void offerLatest(Frame f) {
        offered.incrementAndGet();
        if (frame != null) {
            dropped.incrementAndGet();
        }
        frame = f;
        notifyAll();
    }

    @Override
    public synchronized void putWhenFree(Frame f) throws InterruptedException {
        while (frame != null && !closed) {
            wait();
        }
        offered.incrementAndGet();
        frame = f;
        notifyAll();
    }

    /** Takes the waiting frame, waiting up to the timeout; null on timeout or when closed and empty. */
    public synchronized Frame take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (frame == null) {
            long left = deadline - System.nanoTime();
            if (closed || left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Frame f = frame;
        frame = null;
        notifyAll();
        return f;
    }

    /** Wakes waiters; a waiting frame can still be taken. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Whether the source is done (closed) and no frame is left: nothing will ever come. */
    public synchronized boolean exhausted() {
        return closed && frame == null;
    }

    /** Whether a frame is waiting for the worker. */
    public synchronized boolean waiting() {
        return frame != null;
    }

    /** Frames replaced before the worker took them. */
    public long dropped() {
        return dropped.get();
    }

    /** Frames handed over by the source. */
    public long offered() {
        return offered.get();
    }
}

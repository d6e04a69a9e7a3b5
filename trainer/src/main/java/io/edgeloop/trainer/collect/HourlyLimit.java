package io.edgeloop.trainer.collect;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code maxPerHour} stored examples per device in any sliding hour, so one noisy camera cannot flood the
 * inbox (the agents rate-limit too; this guards the workstation). Not thread-safe: the collector calls it from its
 * single message thread.
 */
final class HourlyLimit {

    private static final long HOUR_MILLIS = 3_600_000L;

    private final int maxPerHour;
    private final Map<String, Deque<Long>> accepted = new HashMap<>();

    /** @param maxPerHour 0 for no limit */
    HourlyLimit(int maxPerHour) {
        if (maxPerHour < 0) {
            throw new IllegalArgumentException("max per hour is " + maxPerHour + ", allowed 0 (no limit) or more");
        }
        this.maxPerHour = maxPerHour;
    }

    /** Whether {@code device} may store one more example at {@code nowMillis}; records it if so. */
    boolean tryAcquire(String device, long nowMillis) {
        if (maxPerHour == 0) {
            return true;
        }
        Deque<Long> times = accepted.computeIfAbsent(device, d -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= nowMillis - HOUR_MILLIS) {
            times.removeFirst();
        }
        if (times.size() >= maxPerHour) {
            return false;
        }
        times.addLast(nowMillis);
        return true;
    }
}

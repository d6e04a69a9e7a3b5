package io.edgeloop.agent.hard;

import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Decides whether a classified frame is published as a hard example: it must be uncertain (top-1 below
 * {@code maxConfidence} or below its class's threshold, or margin below {@code minMargin}), within the
 * per-minute/hour/day budgets, and not a near-duplicate of a recent hard example. One per camera; not thread-safe.
 */
public final class HardExampleSelector {

    /** How many recent hashes are remembered for duplicate suppression. */
    static final int RECENT = 64;

    private final HardExamplesConfig config;
    private final Deque<Long> recentHashes = new ArrayDeque<>();
    private final Window minute = new Window(60_000);
    private final Window hour = new Window(3_600_000);
    private final Window day = new Window(86_400_000);
    private long suppressedDuplicates;
    private long suppressedRate;

    public HardExampleSelector(HardExamplesConfig config) {
        this.config = config;
    }

    /**
     * Why the decision is uncertain enough to be worth a label, or null when it is not (cheap: call before hashing).
     */
    public HardExampleReason uncertainty(Classification c) {
        if (!config.enabled()) {
            return null;
        }
        // below its class's threshold (model card, classThresholds or minConfidence) counts as low confidence too
        if (c.score() < config.maxConfidence() || c.unknown()) {
            return HardExampleReason.LOW_CONFIDENCE;
        }
        return c.margin() < config.minMargin() ? HardExampleReason.MARGIN : null;
    }

    /**
     * Final decision for an uncertain frame, counting it against the budgets when accepted. The budgets are checked
     * first, so a frame over budget is never hashed (an uncertain camera would otherwise hash every frame).
     *
     * @param frameHash computes the frame's {@link DifferenceHash}; called at most once
     * @param nowMillis current time
     */
    public boolean accept(LongSupplier frameHash, long nowMillis) {
        if (!minute.has(nowMillis, config.perMinute()) || !hour.has(nowMillis, config.perHour())
                || !day.has(nowMillis, config.perDay())) {
            suppressedRate++;
            return false;
        }
        long hash = frameHash.getAsLong();
        for (long h : recentHashes) {
            if (DifferenceHash.distance(h, hash) <= config.duplicateDistance()) {
                suppressedDuplicates++;
                return false;
            }
        }
        minute.take(nowMillis);
        hour.take(nowMillis);
        day.take(nowMillis);
        recentHashes.addFirst(hash);
        if (recentHashes.size() > RECENT) {
            recentHashes.removeLast();
        }
        return true;
    }

    public long suppressedDuplicates() {
        return suppressedDuplicates;
    }

    public long suppressedRate() {
        return suppressedRate;
    }

    /** A fixed window budget (aligned to multiples of its length). */
    private static final class Window {
        private final long length;
        private long start = Long.MIN_VALUE;
        private int used;

        Window(long length) {
            this.length = length;
        }

        boolean has(long now, int budget) {
            roll(now);
            return used < budget;
        }

        void take(long now) {
            roll(now);
            used++;
        }

        private void roll(long now) {
            long s = now - Math.floorMod(now, length);
            if (s != start) {
                start = s;
                used = 0;
            }
        }
    }
}

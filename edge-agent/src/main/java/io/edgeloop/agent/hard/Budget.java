package io.edgeloop.agent.hard;

import io.edgeloop.agent.config.HardExampleSelectors.Limits;

/** At most so many frames per minute, hour and day, in fixed windows aligned to multiples of their length. */
final class Budget {

    private final Window minute;
    private final Window hour;
    private final Window day;

    Budget(Limits limits) {
        minute = new Window(60_000, limits.perMinute());
        hour = new Window(3_600_000, limits.perHour());
        day = new Window(86_400_000, limits.perDay());
    }

    /** Whether one more frame fits at {@code now} (epoch milliseconds). */
    boolean has(long now) {
        return minute.has(now) && hour.has(now) && day.has(now);
    }

    /** Counts one frame at {@code now}. */
    void take(long now) {
        minute.take(now);
        hour.take(now);
        day.take(now);
    }

    private static final class Window {
        private final long length;
        private final int budget;
        private long start = Long.MIN_VALUE;
        private int used;

        Window(long length, int budget) {
            this.length = length;
            this.budget = budget;
        }

        boolean has(long now) {
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

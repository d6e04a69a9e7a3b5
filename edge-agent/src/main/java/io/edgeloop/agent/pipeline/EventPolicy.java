package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.EventsConfig;

/**
 * Whether a camera's classification becomes an event: every frame, or only when the label changed or the heartbeat
 * interval elapsed since the last event. One per camera; not thread-safe.
 */
public final class EventPolicy {

    private final EventsConfig.Mode mode;
    private final long heartbeatNanos;
    private String lastLabel;
    private long lastPublished;

    public EventPolicy(EventsConfig.Mode mode, int heartbeatSeconds) {
        this.mode = mode;
        this.heartbeatNanos = heartbeatSeconds * 1_000_000_000L;
    }

    /** Decides for a label at a monotonic time (nanoseconds) and remembers a positive decision. */
    public boolean shouldPublish(String label, long nowNanos) {
        boolean publish = mode == EventsConfig.Mode.EVERY_FRAME || lastLabel == null || !lastLabel.equals(label)
                || nowNanos - lastPublished >= heartbeatNanos;
        if (publish) {
            lastLabel = label;
            lastPublished = nowNanos;
        }
        return publish;
    }
}

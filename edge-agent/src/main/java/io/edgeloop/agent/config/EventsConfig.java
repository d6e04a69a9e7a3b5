package io.edgeloop.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When classification events are published and with which QoS.
 *
 * @param mode             {@code every-frame} or {@code on-change} (label changed, or heartbeat elapsed)
 * @param heartbeatSeconds in on-change mode, republish the current label at least this often (1..86400, default 60)
 * @param qos              MQTT QoS of events (0..2, default 1)
 * @param thumbnail        attach a small JPEG of the frame to each event (default false)
 * @param thumbnailMaxSide longest side of the thumbnail in pixels (16..640, default 128)
 */
public record EventsConfig(Mode mode, Integer heartbeatSeconds, Integer qos, Boolean thumbnail,
        Integer thumbnailMaxSide) {

    public static final EventsConfig DEFAULT = new EventsConfig(null, null, null, null, null);

    /** Publishing policy. */
    public enum Mode {
        @JsonProperty("every-frame") EVERY_FRAME,
        @JsonProperty("on-change") ON_CHANGE
    }

    public EventsConfig {
        mode = mode == null ? Mode.EVERY_FRAME : mode;
        heartbeatSeconds = ConfigValues.intRange("heartbeatSeconds", heartbeatSeconds, 60, 1, 86_400);
        qos = ConfigValues.intRange("qos", qos, 1, 0, 2);
        thumbnail = thumbnail != null && thumbnail;
        thumbnailMaxSide = ConfigValues.intRange("thumbnailMaxSide", thumbnailMaxSide, 128, 16, 640);
    }
}

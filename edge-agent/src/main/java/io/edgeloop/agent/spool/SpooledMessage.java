package io.edgeloop.agent.spool;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One outgoing MQTT message as the spool stores it.
 *
 * @param topic    MQTT topic
 * @param qos      0, 1 or 2
 * @param retained whether the broker should retain it
 * @param payload  the bytes (not copied: callers must not modify the array afterwards)
 */
public record SpooledMessage(String topic, int qos, boolean retained, byte[] payload) {

    /** Longest topic the record format stores (two length bytes). */
    public static final int MAX_TOPIC_BYTES = 65_535;

    public SpooledMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos is " + qos + ", allowed 0, 1 or 2");
        }
        if (topic.isEmpty() || topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic '" + topic + "' must have 1.." + MAX_TOPIC_BYTES + " bytes");
        }
    }
}

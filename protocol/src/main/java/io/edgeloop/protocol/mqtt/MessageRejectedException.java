package io.edgeloop.protocol.mqtt;

/**
 * A received MQTT message that does not follow the contract: a foreign topic, malformed JSON, an unknown schema
 * version or an invalid field. Checked on purpose: a consumer must decide what to do (count it, log it, skip it);
 * a bad message must never stop it. The message names the topic (when known), the payload type and the problem:
 * {@code edgeloop/cam1/front/events: ClassificationEvent: top[0].score is 1.5, allowed a number in 0..1}.
 */
public class MessageRejectedException extends Exception {

    private final String topic;
    private final String reason;

    public MessageRejectedException(String topic, String reason, Throwable cause) {
        super((topic == null ? "" : topic + ": ") + reason, cause);
        this.topic = topic;
        this.reason = reason;
    }

    /** The topic the message arrived on, or {@code null} if the caller did not give one. */
    public String topic() {
        return topic;
    }

    /** The problem, without the topic. */
    public String reason() {
        return reason;
    }
}

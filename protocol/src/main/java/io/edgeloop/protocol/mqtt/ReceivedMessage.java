package io.edgeloop.protocol.mqtt;

import java.util.Objects;

/**
 * A received message whose topic and payload were both checked and agree (same device, same camera).
 *
 * @param address what the topic addresses
 * @param payload the decoded payload, of {@code address.kind().payloadType()}
 */
public record ReceivedMessage(TopicAddress address, Payload payload) {

    public ReceivedMessage {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(payload, "payload");
        if (!address.kind().payloadType().isInstance(payload)) {
            throw new IllegalArgumentException("payload is a " + payload.getClass().getSimpleName() + ", allowed a "
                    + address.kind().payloadType().getSimpleName() + " for " + address.kind());
        }
    }

    /** The payload as {@code type}; fails naming both types if it is another one. */
    public <T extends Payload> T payloadAs(Class<T> type) {
        if (!type.isInstance(payload)) {
            throw new IllegalArgumentException("payload is a " + payload.getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(payload);
    }
}

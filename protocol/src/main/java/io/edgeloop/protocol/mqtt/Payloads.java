package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import java.util.Objects;

/**
 * Encodes payload records to JSON bytes and decodes received bytes back, rejecting anything that does not follow
 * the contract with a {@link MessageRejectedException}.
 *
 * <p>Decoding checks, in order: size ({@value #MAX_BYTES} bytes at most), JSON syntax (UTF-8), a JSON object,
 * {@code schema} equal to {@value #SCHEMA}, then every field through the record's validation. Fields this build
 * does not know are ignored: producers may add fields without a new schema version; removing or changing one needs
 * a new version.
 */
public final class Payloads {

    /** The payload format version this build reads and writes. */
    public static final int SCHEMA = 1;

    /** Largest payload accepted when decoding: room for a hard example with a large JPEG. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private Payloads() {
    }

    /** The payload as compact UTF-8 JSON, {@code schema} first. */
    public static byte[] encode(Payload payload) {
        Objects.requireNonNull(payload, "payload");
        try {
            return ProtocolJson.writer().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + payload.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses {@code topic}, decodes the payload as the type its kind carries, and checks that the payload's device
     * and camera are the ones in the topic (a payload published on another device's topic is rejected).
     *
     * @throws MessageRejectedException for a foreign topic, a bad payload, or a topic/payload mismatch
     */
    public static ReceivedMessage decode(Topics topics, String topic, byte[] bytes) throws MessageRejectedException {
        Objects.requireNonNull(topics, "topics");
        TopicAddress address = topics.parse(topic);
        Payload payload = decode(topic, bytes, address.kind().payloadType());
        String device = null;
        String camera = null;
        if (payload instanceof DeviceStatus p) {
            device = p.device();
        } else if (payload instanceof ClassificationEvent p) {
            device = p.device();
            camera = p.camera();
        } else if (payload instanceof DeviceMetrics p) {
            device = p.device();
        } else if (payload instanceof HardExample p) {
            device = p.device();
            camera = p.camera();
        } else if (payload instanceof DeployStatus p) {
            device = p.device();
        }
        String what = payload.getClass().getSimpleName() + ": ";
        if (device != null && !device.equals(address.device())) {
            throw new MessageRejectedException(topic, what + "device is \"" + device + "\", allowed the topic's device"
                    + " (\"" + address.device() + "\")", null);
        }
        if (camera != null && !camera.equals(address.camera())) {
            throw new MessageRejectedException(topic, what + "camera is \"" + camera + "\", allowed the topic's camera"
                    + " (\"" + address.camera() + "\")", null);
        }
        return new ReceivedMessage(address, payload);
    }

    /**
     * Decodes a payload received without a known topic.
     *
     * @throws MessageRejectedException naming the payload type and the problem
     */
    public static <T extends Payload> T decode(byte[] bytes, Class<T> type) throws MessageRejectedException {
        return decode(null, bytes, type);
    }

    /**
     * Decodes a payload received on {@code topic}.
     *
     * @param topic the topic it arrived on, named in errors; may be {@code null}
     * @throws MessageRejectedException naming the topic, the payload type and the problem (field, value, rule)
     */
    public static <T extends Payload> T decode(String topic, byte[] bytes, Class<T> type)
            throws MessageRejectedException {
        Objects.requireNonNull(type, "type");
        String what = type.getSimpleName() + ": ";
        if (bytes == null || bytes.length == 0) {
            throw new MessageRejectedException(topic, what + "payload is empty, allowed a JSON object", null);
        }
        if (bytes.length > MAX_BYTES) {
            throw new MessageRejectedException(topic, what + "payload is " + bytes.length + " bytes, allowed at most "
                    + MAX_BYTES, null);
        }
        try {
            JsonNode tree = ProtocolJson.parseTree(bytes);
            if (!tree.isObject()) {
                throw new IllegalArgumentException("payload is a JSON " + tree.getNodeType().name().toLowerCase()
                        + ", allowed a JSON object");
            }
            JsonNode schema = tree.get("schema");
            if (schema == null) {
                throw new IllegalArgumentException("schema is missing, allowed " + SCHEMA);
            }
            if (!schema.isInt() || schema.intValue() != SCHEMA) {
                throw new IllegalArgumentException("schema is " + schema + ", allowed " + SCHEMA);
            }
            return ProtocolJson.bind(ProtocolJson.tolerantReader(), tree, type);
        } catch (IllegalArgumentException e) {
            throw new MessageRejectedException(topic, what + e.getMessage(), e);
        }
    }
}

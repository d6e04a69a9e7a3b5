package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.id.Ids;
import java.util.Objects;
import java.util.Optional;

/**
 * What a topic addresses: its kind, the device (absent only for {@link TopicKind#FLEET_DEPLOY}) and the camera
 * (present exactly for per-camera kinds).
 *
 * @param kind   topic kind
 * @param device device id; {@code null} for the fleet-wide deploy topic
 * @param camera camera id for {@link TopicKind#EVENTS} and {@link TopicKind#HARD}; otherwise {@code null}
 */
public record TopicAddress(TopicKind kind, String device, String camera) {

    public TopicAddress {
        Objects.requireNonNull(kind, "kind");
        if (kind == TopicKind.FLEET_DEPLOY) {
            if (device != null) {
                throw new IllegalArgumentException("device is \"" + device + "\", allowed none for " + kind);
            }
        } else {
            Ids.requireDevice(device);
        }
        if (kind.perCamera()) {
            Ids.requireCamera(camera);
        } else if (camera != null) {
            throw new IllegalArgumentException("camera is \"" + camera + "\", allowed none for " + kind);
        }
    }

    /** The device, empty for the fleet-wide deploy topic. */
    public Optional<String> deviceId() {
        return Optional.ofNullable(device);
    }

    /** The camera, present for per-camera kinds. */
    public Optional<String> cameraId() {
        return Optional.ofNullable(camera);
    }
}

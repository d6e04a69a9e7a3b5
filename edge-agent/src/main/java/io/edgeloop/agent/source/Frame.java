package io.edgeloop.agent.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One frame from a camera: either encoded (JPEG/PNG/BMP bytes) or raw packed RGB ({@code width × height × 3}).
 *
 * @param cameraId    the camera
 * @param capturedAt  wall-clock capture time
 * @param encoded     encoded image bytes, or null for a raw frame
 * @param rgb         raw RGB bytes, or null for an encoded frame
 * @param width       raw frame width (0 for encoded)
 * @param height      raw frame height (0 for encoded)
 * @param name        what to call the frame in messages (file name, URL, frame number)
 * @param groundTruth the true label when known (replay of an ImageFolder tree), else null
 */
public record Frame(String cameraId, Instant capturedAt, byte[] encoded, byte[] rgb, int width, int height,
        String name, String groundTruth) {

    public Frame {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(name, "name");
        if ((encoded == null) == (rgb == null)) {
            throw new IllegalArgumentException("a frame is either encoded or raw RGB");
        }
    }

    /** An encoded frame. */
    public static Frame encoded(String cameraId, byte[] data, String name, String groundTruth) {
        return new Frame(cameraId, Instant.now(), data, null, 0, 0, name, groundTruth);
    }

    /** A raw RGB frame. */
    public static Frame raw(String cameraId, byte[] rgb, int width, int height, String name) {
        return new Frame(cameraId, Instant.now(), null, rgb, width, height, name, null);
    }
}

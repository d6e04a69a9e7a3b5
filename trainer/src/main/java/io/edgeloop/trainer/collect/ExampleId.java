package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.id.Ids;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The id of an inbox example: {@code <device>.<camera>.<stem>} where the stem {@code <capturedAt>-<seq>-<sha8>}
 * (capture time as {@code 20261128T180601350Z}, the frame's sequence number, the first 8 hex digits of the image's
 * SHA-256) is also the file name in {@code inbox/<device>/<camera>/}. Device and camera ids never contain dots, so
 * the id parses back unambiguously, and it is a valid file name (the exported training image is
 * {@code hard-<id>.jpg}).
 *
 * @param device device id
 * @param camera camera id
 * @param stem   file name without extension
 */
public record ExampleId(String device, String camera, String stem) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern STEM = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9]{1,19}-[0-9a-f]{8}");

    public ExampleId {
        Ids.requireDevice(device);
        Ids.requireCamera(camera);
        if (stem == null || !STEM.matcher(stem).matches()) {
            throw new IllegalArgumentException("example file stem is " + (stem == null ? "missing" : "\"" + stem
                    + "\"") + ", allowed <yyyyMMddTHHmmssSSSZ>-<seq>-<8 hex digits>");
        }
    }

    /** The id of a hard example. */
    public static ExampleId of(String device, String camera, Instant capturedAt, long seq, String imageSha256) {
        Objects.requireNonNull(capturedAt, "capturedAt");
        return new ExampleId(device, camera, TIME.format(capturedAt) + "-" + seq + "-" + imageSha256.substring(0, 8));
    }

    /**
     * Parses {@code <device>.<camera>.<stem>}.
     *
     * @throws IllegalArgumentException naming the id and the expected form
     */
    public static ExampleId parse(String id) {
        String[] parts = id == null ? new String[0] : id.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("example id is " + (id == null ? "missing" : "\"" + id + "\"")
                    + ", allowed <device>.<camera>.<yyyyMMddTHHmmssSSSZ>-<seq>-<sha8> as listed by 'label list'");
        }
        return new ExampleId(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return device + "." + camera + "." + stem;
    }
}

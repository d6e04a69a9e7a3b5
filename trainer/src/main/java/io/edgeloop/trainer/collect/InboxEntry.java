package io.edgeloop.trainer.collect;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One stored example: its sidecar, where its files are, and the version of the sidecar that was read.
 *
 * @param sidecar     what is known about it
 * @param image       the JPEG file
 * @param sidecarFile the JSON file
 * @param etag        the version read: the first 16 hex digits of the SHA-256 of the sidecar's bytes; a conditional
 *                    write ({@link Inbox#replace}) succeeds only while the file still has this version
 */
public record InboxEntry(ExampleSidecar sidecar, Path image, Path sidecarFile, String etag) {

    public InboxEntry {
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(sidecarFile, "sidecarFile");
        Objects.requireNonNull(etag, "etag");
    }

    /** The example id. */
    public ExampleId id() {
        return ExampleId.parse(sidecar.id());
    }
}

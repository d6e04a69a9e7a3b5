package io.edgeloop.trainer.collect;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One stored example: its sidecar and where its files are.
 *
 * @param sidecar     what is known about it
 * @param image       the JPEG file
 * @param sidecarFile the JSON file
 */
public record InboxEntry(ExampleSidecar sidecar, Path image, Path sidecarFile) {

    public InboxEntry {
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(sidecarFile, "sidecarFile");
    }

    /** The example id. */
    public ExampleId id() {
        return ExampleId.parse(sidecar.id());
    }
}

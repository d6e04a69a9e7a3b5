package io.edgeloop.trainer.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image left out of training because it could not be read or decoded; listed in the report.
 *
 * @param file   the file
 * @param reason why, e.g. "corrupt or truncated image (…)"
 */
public record SkippedImage(Path file, String reason) {

    public SkippedImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }
}

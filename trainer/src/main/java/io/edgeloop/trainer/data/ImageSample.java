package io.edgeloop.trainer.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled image file.
 *
 * @param file         the image file
 * @param relativePath path relative to the dataset folder, '/'-separated ({@code cats/001.jpg}); stable across
 *                     machines, used for ordering, seeding and the fingerprint
 * @param label        class index into the dataset's sorted label list
 */
public record ImageSample(Path file, String relativePath, int label) {

    public ImageSample {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(relativePath, "relativePath");
        if (label < 0) {
            throw new IllegalArgumentException("label is " + label + ", allowed >= 0");
        }
    }
}

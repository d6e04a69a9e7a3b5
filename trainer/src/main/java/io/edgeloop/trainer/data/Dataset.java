package io.edgeloop.trainer.data;

import java.util.List;

/**
 * A loaded dataset: labels, the usable training and validation images (every one decoded once), the images that
 * were skipped and why, the fingerprint, and the store that serves prepared images.
 *
 * @param labels      class names, index order
 * @param train       training images
 * @param validation  validation images (may be empty when every class has a single image)
 * @param skipped     unreadable images left out, with the reason
 * @param fingerprint SHA-256 over the used images, see {@link DatasetFingerprint}
 * @param store       decoded / prepared images (cache)
 * @param config      how it was loaded
 */
public record Dataset(List<String> labels, List<ImageSample> train, List<ImageSample> validation,
                      List<SkippedImage> skipped, String fingerprint, ImageStore store, DataConfig config) {

    public Dataset {
        labels = List.copyOf(labels);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        skipped = List.copyOf(skipped);
    }

    public int numClasses() {
        return labels.size();
    }

    /** Training images per class. */
    public int[] trainCounts() {
        return ImageFolder.countsPerClass(train, labels.size());
    }

    /** Validation images per class. */
    public int[] validationCounts() {
        return ImageFolder.countsPerClass(validation, labels.size());
    }
}

package io.edgeloop.trainer.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The 1000 ImageNet-1k (ILSVRC-2012) class names in output order, from the resource {@value #RESOURCE}: torchvision's
 * category list ({@code torchvision.models._meta._IMAGENET_CATEGORIES}), written by
 * {@code scripts/make-imagenet-labels.py}. The order is the standard sorted-WordNet-id order the ONNX Model Zoo's
 * MXNet, Caffe2, PyTorch and TensorFlow classifiers share.
 */
public final class ImageNetLabels {

    /** Class-path resource with one name per line. */
    public static final String RESOURCE = "/io/edgeloop/trainer/base/imagenet-1k-labels.txt";

    /** Number of classes. */
    public static final int COUNT = 1000;

    private ImageNetLabels() {
    }

    /** The names, index i being output i. */
    public static List<String> load() {
        try (InputStream in = ImageNetLabels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the trainer jar");
            }
            List<String> names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (names.size() != COUNT) {
                throw new IllegalStateException("resource " + RESOURCE + " has " + names.size() + " names, expected "
                        + COUNT + "; regenerate it with scripts/make-imagenet-labels.py");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }
}

package io.edgeloop.trainer.datasets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two published Fashion-MNIST splits, with their IDX file name prefixes and published sizes. */
public enum FashionMnistSplit {
    /** 60,000 training images, 6,000 per class. */
    TRAIN("train", 60_000),
    /** 10,000 test images, 1,000 per class. */
    TEST("t10k", 10_000);

    private final String filePrefix;
    private final int publishedSize;

    FashionMnistSplit(String filePrefix, int publishedSize) {
        this.filePrefix = filePrefix;
        this.publishedSize = publishedSize;
    }

    /** Base name of the image file without {@code .gz}, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFileName() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** Base name of the label file without {@code .gz}, e.g. {@code t10k-labels-idx1-ubyte}. */
    public String labelsFileName() {
        return filePrefix + "-labels-idx1-ubyte";
    }

    /** Number of images in the published dataset (a directory given by the user may hold fewer). */
    public int publishedSize() {
        return publishedSize;
    }

    /** Name as used on the command line and in file names: {@code train}, {@code test}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name, case-insensitively; the error lists the allowed names. */
    public static FashionMnistSplit parse(String text) {
        for (FashionMnistSplit s : values()) {
            if (s.cliName().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("split '" + text + "' is not one of "
                + Arrays.stream(values()).map(FashionMnistSplit::cliName).collect(Collectors.joining(", ")));
    }
}

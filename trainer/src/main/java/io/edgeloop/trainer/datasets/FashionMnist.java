package io.edgeloop.trainer.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One split of Fashion-MNIST in memory: 28×28 greyscale images (unsigned bytes, 0 = background) and their labels.
 *
 * <p>The files are the four IDX files Zalando publishes ({@code train-images-idx3-ubyte.gz} …), gzip'd or not,
 * looked up in {@link #DEBIAN_DIRECTORY} (Debian's {@code dataset-fashion-mnist}) unless a directory is given.
 * Loading checks that images are N×28×28, labels N, both N equal, and every label in 0..9.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** Image height and width. */
    public static final int IMAGE_SIZE = 28;

    private final FashionMnistSplit split;
    private final IdxArray images;
    private final IdxArray labels;

    private FashionMnist(FashionMnistSplit split, IdxArray images, IdxArray labels) {
        this.split = split;
        this.images = images;
        this.labels = labels;
    }

    /** Loads a split from Debian's install location. */
    public static FashionMnist loadDebian(FashionMnistSplit split) throws IOException {
        return load(DEBIAN_DIRECTORY, split);
    }

    /** Loads a split from {@code directory}, which holds the IDX files (gzip'd or not). */
    public static FashionMnist load(Path directory, FashionMnistSplit split) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(split, "split");
        Path imageFile = locate(directory, split.imagesFileName());
        Path labelFile = locate(directory, split.labelsFileName());
        IdxArray images = IdxReader.read(imageFile);
        IdxArray labels = IdxReader.read(labelFile);
        int[] imageDims = images.dims();
        if (imageDims.length != 3 || imageDims[1] != IMAGE_SIZE || imageDims[2] != IMAGE_SIZE) {
            throw new IdxFormatException("Fashion-MNIST image file " + imageFile + " has dimensions "
                    + images.shapeText() + ": expected N × 28 × 28");
        }
        if (labels.dims().length != 1) {
            throw new IdxFormatException("Fashion-MNIST label file " + labelFile + " has dimensions "
                    + labels.shapeText() + ": expected a vector of N labels");
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException("Fashion-MNIST " + split.cliName() + " split: " + imageFile + " holds "
                    + images.count() + " images but " + labelFile + " holds " + labels.count() + " labels");
        }
        for (int i = 0; i < labels.count(); i++) {
            if (labels.get(i) > FashionMnistClass.ANKLE_BOOT.label()) {
                throw new IdxFormatException("Fashion-MNIST label file " + labelFile + ": label of item " + i
                        + " is " + labels.get(i) + ", allowed 0 to 9");
            }
        }
        return new FashionMnist(split, images, labels);
    }

    /**
     * Finds {@code baseName.gz} or {@code baseName} in {@code directory}; the error says where it looked and how to
     * install the dataset.
     */
    static Path locate(Path directory, String baseName) throws DatasetNotFoundException {
        Path gz = directory.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = directory.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetNotFoundException("Fashion-MNIST file not found: neither " + gz + " nor " + plain
                + " exists. Install the dataset with 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu,"
                + " installs into " + DEBIAN_DIRECTORY + "), or pass a directory holding"
                + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                + " t10k-labels-idx1-ubyte (gzip'd or not) from https://github.com/zalandoresearch/fashion-mnist");
    }

    /** Which split this is. */
    public FashionMnistSplit split() {
        return split;
    }

    /** Number of images. */
    public int size() {
        return images.count();
    }

    /** The class of image {@code index}. */
    public FashionMnistClass label(int index) {
        return FashionMnistClass.ofLabel(labels.get(index));
    }

    /** Image {@code index} as 28×28 row-major unsigned bytes (a fresh array). */
    public byte[] image(int index) {
        byte[] pixels = new byte[IMAGE_SIZE * IMAGE_SIZE];
        images.copyItem(index, pixels);
        return pixels;
    }

    /** Number of images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[FashionMnistClass.values().length];
        for (int i = 0; i < labels.count(); i++) {
            counts[labels.get(i)]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Fashion-MNIST " + split.cliName() + " (" + size() + " images, per class "
                + Arrays.toString(classCounts()) + ")";
    }
}

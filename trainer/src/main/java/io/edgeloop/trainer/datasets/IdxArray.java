package io.edgeloop.trainer.datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The content of one IDX file of unsigned bytes: its dimensions and its data in row-major order. The first
 * dimension counts items (images, labels); the rest give each item's shape.
 *
 * <p>Immutable: the data array is owned by this object and never handed out, because a Fashion-MNIST training
 * split is 47 MB and copying it on every access would be wasteful.
 */
public final class IdxArray {

    private final Path source;
    private final int[] dims;
    private final byte[] data;
    private final int itemSize;

    IdxArray(Path source, int[] dims, byte[] data) {
        this.source = Objects.requireNonNull(source, "source");
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data, "data");
        long size = 1;
        for (int d = 1; d < dims.length; d++) {
            size *= dims[d];
        }
        this.itemSize = (int) size;
        if ((long) dims[0] * itemSize != data.length) {
            throw new IllegalArgumentException("IDX data of " + source + " has " + data.length
                    + " bytes, dimensions " + shapeText() + " need " + (long) dims[0] * itemSize);
        }
    }

    /** The file this array was read from (for error messages). */
    public Path source() {
        return source;
    }

    /** A copy of the dimensions, first one the item count. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Bytes per item: the product of all dimensions but the first (1 for a vector of labels). */
    public int itemSize() {
        return itemSize;
    }

    /** The unsigned byte at a flat row-major index, as 0..255. */
    public int get(int flatIndex) {
        return Byte.toUnsignedInt(data[flatIndex]);
    }

    /** Copies item {@code index} (e.g. one image, row-major) into {@code destination}, which needs itemSize bytes. */
    public void copyItem(int index, byte[] destination) {
        if (index < 0 || index >= dims[0]) {
            throw new IndexOutOfBoundsException("item " + index + " of " + source + ": allowed 0.." + (dims[0] - 1));
        }
        if (destination.length != itemSize) {
            throw new IllegalArgumentException("destination has " + destination.length + " bytes, item size of "
                    + source + " is " + itemSize);
        }
        System.arraycopy(data, index * itemSize, destination, 0, itemSize);
    }

    /** The dimensions as text, e.g. {@code 60000 × 28 × 28}. */
    public String shapeText() {
        return shapeText(dims);
    }

    static String shapeText(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" × "));
    }
}

package io.edgeloop.trainer.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or not; compression is recognised from
 * the content, not the file name.
 *
 * <p>Format: a big-endian magic number {@code 0x0000TTNN} (two zero bytes, data type TT, number of dimensions NN),
 * NN big-endian 32-bit dimension sizes, then the data in row-major order. Only unsigned bytes (type {@code 0x08})
 * are supported, which is what image and label files use. Every violation is reported with the file name and the
 * bad value: wrong magic, unsupported type, no dimensions, truncated header or data, trailing bytes.
 */
public final class IdxReader {

    /** Data type code of unsigned bytes. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** More dimensions than this are rejected as a corrupt header (the format itself allows 255). */
    public static final int MAX_DIMENSIONS = 8;

    private static final int GZIP_MAGIC = 0x1f8b;

    private IdxReader() {
    }

    /** Reads a whole IDX file of unsigned bytes. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int first = raw.read();
            int second = raw.read();
            raw.reset();
            boolean gzip = ((first << 8) | second) == GZIP_MAGIC;
            try (InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
                return read(file, in);
            } catch (ZipException | EOFException e) {
                if (gzip) {
                    throw new IdxFormatException("IDX file " + file + " is not a valid gzip stream: " + e.getMessage());
                }
                throw e;
            }
        }
    }

    private static IdxArray read(Path file, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = readHeaderInt(file, data, 0);
        int zeros = magic >>> 16;
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if (zeros != 0) {
            throw new IdxFormatException(String.format(
                    "IDX file %s has bad magic number 0x%08X: expected 0x0000TTNN (two zero bytes, data type TT,"
                            + " number of dimensions NN), e.g. 0x00000803 for images", file, magic));
        }
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IdxFormatException(String.format(
                    "IDX file %s has data type 0x%02X (%s): only 0x08 (unsigned byte) is supported",
                    file, type, typeName(type)));
        }
        if (rank < 1 || rank > MAX_DIMENSIONS) {
            throw new IdxFormatException(String.format(
                    "IDX file %s declares %d dimensions: allowed 1 to %d", file, rank, MAX_DIMENSIONS));
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = readHeaderInt(file, data, 1 + d);
            if (dims[d] < 0) {
                throw new IdxFormatException(String.format(
                        "IDX file %s: dimension %d has size %d (0x%08X): sizes must be >= 0", file, d, dims[d],
                        dims[d]));
            }
            total *= dims[d];
            if (total > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException("IDX file " + file + ": dimensions " + IdxArray.shapeText(dims)
                        + " exceed the supported 2 GB of data");
            }
        }
        byte[] bytes = data.readNBytes((int) total);
        if (bytes.length < total) {
            throw new IdxFormatException(String.format(
                    "IDX file %s is truncated: its header declares %s = %d data bytes, found only %d",
                    file, IdxArray.shapeText(dims), total, bytes.length));
        }
        if (data.read() != -1) {
            throw new IdxFormatException(String.format(
                    "IDX file %s has trailing bytes after the %d data bytes its header declares (%s)",
                    file, total, IdxArray.shapeText(dims)));
        }
        return new IdxArray(file, dims, bytes);
    }

    private static int readHeaderInt(Path file, DataInputStream data, int word) throws IOException {
        try {
            return data.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(String.format(
                    "IDX file %s is truncated: the header ends inside its 32-bit word %d (%s)", file, word,
                    word == 0 ? "magic number" : "size of dimension " + (word - 1)));
        }
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }
}

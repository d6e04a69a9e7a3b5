package io.edgeloop.protocol.preprocess;

/**
 * Reads a BMP's file and DIB headers: size, bits per pixel, compression, and whether the file holds all the pixel
 * rows it declares (uncompressed BMPs cut short would otherwise decode with missing rows).
 */
final class BmpContainer {

    /** Compression values of the DIB header: none, and the colour-mask layouts. */
    static final int BI_RGB = 0;
    static final int BI_BITFIELDS = 3;
    static final int BI_ALPHABITFIELDS = 6;

    private BmpContainer() {
    }

    /** Reads the header of a BMP (the data must start with "BM"). */
    static ImageHeader read(byte[] data, String source) throws ImageRejectedException {
        if (data.length < 26) {
            throw corrupt(source, "truncated: " + data.length + " bytes, the headers alone need at least 26");
        }
        long pixelOffset = readInt(data, 10) & 0xFFFFFFFFL;
        int dibSize = readInt(data, 14);
        long width;
        long height;
        int bitsPerPixel;
        int compression;
        if (dibSize == 12) {
            width = readShort(data, 18);
            height = readShort(data, 20);
            bitsPerPixel = readShort(data, 24);
            compression = BI_RGB;
        } else if (dibSize >= 16 && dibSize <= 124) {
            if (data.length < 14 + Math.min(dibSize, 20)) {
                throw corrupt(source, "truncated: " + data.length + " bytes, the " + dibSize
                        + "-byte DIB header does not fit");
            }
            width = readInt(data, 18);
            height = Math.abs((long) readInt(data, 22)); // negative: rows stored top-down
            bitsPerPixel = readShort(data, 28);
            compression = dibSize >= 20 ? readInt(data, 30) : BI_RGB;
        } else {
            throw corrupt(source, "DIB header size is " + dibSize + ", allowed 12, or 16 to 124");
        }
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt(source, "header declares " + width + "x" + height + " pixels, allowed at least 1x1");
        }
        if (compression == BI_RGB || compression == BI_BITFIELDS || compression == BI_ALPHABITFIELDS) {
            long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
            long needed = pixelOffset + rowBytes * height;
            if (needed > data.length) {
                throw corrupt(source, "truncated: " + width + "x" + height + " at " + bitsPerPixel
                        + " bits per pixel needs " + needed + " bytes, the file has " + data.length);
            }
        }
        return new ImageHeader(ImageFormat.BMP, (int) width, (int) height, ExifOrientation.TOP_LEFT, 0, -1,
                bitsPerPixel);
    }

    /** The little-endian 32-bit value at {@code pos}. */
    static int readInt(byte[] data, int pos) {
        return (data[pos] & 0xFF) | ((data[pos + 1] & 0xFF) << 8) | ((data[pos + 2] & 0xFF) << 16)
                | ((data[pos + 3] & 0xFF) << 24);
    }

    /** The little-endian unsigned 16-bit value at {@code pos}. */
    static int readShort(byte[] data, int pos) {
        return (data[pos] & 0xFF) | ((data[pos + 1] & 0xFF) << 8);
    }

    private static ImageRejectedException corrupt(String source, String what) {
        return new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, source + ": corrupt BMP: " + what);
    }
}

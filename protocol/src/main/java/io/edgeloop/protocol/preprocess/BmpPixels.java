package io.edgeloop.protocol.preprocess;

import static io.edgeloop.protocol.preprocess.BmpContainer.BI_ALPHABITFIELDS;
import static io.edgeloop.protocol.preprocess.BmpContainer.BI_BITFIELDS;
import static io.edgeloop.protocol.preprocess.BmpContainer.BI_RGB;
import static io.edgeloop.protocol.preprocess.BmpContainer.readInt;
import static io.edgeloop.protocol.preprocess.BmpContainer.readShort;

/**
 * Reads the pixels of the BMPs cameras and frame grabbers write, uncompressed 24-bit (B, G, R) and 32-bit
 * (B, G, R, X or A) rows, bottom-up or top-down, straight from the file's bytes into interleaved R, G, B bytes: one
 * pass, no ImageIO reader, no intermediate raster. The values are the stored ones, as PIL's "BGR" and "BGRX"
 * unpackers give them (alpha and the fourth byte are dropped, not composited); what ImageIO's readers give too.
 *
 * <p>Only layouts that need no interpretation are read here: a Windows DIB header of 40, 52, 56, 108 or 124 bytes,
 * {@code BI_RGB} at 24 or 32 bits per pixel, or {@code BI_BITFIELDS}/{@code BI_ALPHABITFIELDS} at 32 bits with the
 * standard masks (red {@code 0xFF0000}, green {@code 0xFF00}, blue {@code 0xFF}, any alpha mask), and pixel data
 * that starts after the headers. Everything else (palettes, 16-bit, RLE, other masks, OS/2 headers) goes to the
 * general reader, as does any file this class declines.
 */
final class BmpPixels {

    private static final int FILE_HEADER = 14;

    private final int pixelOffset;
    private final int width;
    private final int height;
    private final int bytesPerPixel;
    private final boolean topDown;

    private BmpPixels(int pixelOffset, int width, int height, int bytesPerPixel, boolean topDown) {
        this.pixelOffset = pixelOffset;
        this.width = width;
        this.height = height;
        this.bytesPerPixel = bytesPerPixel;
        this.topDown = topDown;
    }

    /**
     * The direct layout of a BMP whose header {@link BmpContainer} has checked (sizes, and that every row is in
     * the file), or null when the file needs the general reader.
     */
    static BmpPixels of(byte[] data, ImageHeader header) {
        if (header.format() != ImageFormat.BMP || data.length < FILE_HEADER + 40) {
            return null;
        }
        int dibSize = readInt(data, 14);
        if (dibSize != 40 && dibSize != 52 && dibSize != 56 && dibSize != 108 && dibSize != 124) {
            return null;
        }
        int bitsPerPixel = readShort(data, 28);
        int compression = readInt(data, 30);
        int headersEnd = FILE_HEADER + dibSize;
        boolean standard;
        if (compression == BI_RGB) {
            standard = bitsPerPixel == 24 || bitsPerPixel == 32;
        } else if ((compression == BI_BITFIELDS || compression == BI_ALPHABITFIELDS) && bitsPerPixel == 32) {
            // the masks follow a 40-byte header (12 or 16 bytes) and sit inside the longer ones, at the same offset
            if (dibSize == 40) {
                headersEnd += compression == BI_BITFIELDS ? 12 : 16;
            }
            standard = data.length >= 66 && readInt(data, 54) == 0xFF0000 && readInt(data, 58) == 0xFF00
                    && readInt(data, 62) == 0xFF;
        } else {
            standard = false;
        }
        long pixelOffset = readInt(data, 10) & 0xFFFFFFFFL;
        if (!standard || pixelOffset < headersEnd || pixelOffset > data.length || readShort(data, 26) != 1) {
            return null;
        }
        boolean topDown = readInt(data, 22) < 0;
        return new BmpPixels((int) pixelOffset, header.width(), header.height(), bitsPerPixel / 8, topDown);
    }

    /** Bytes a stored row takes, padded to a multiple of four. */
    private long rowStride() {
        return ((long) width * bytesPerPixel + 3) / 4 * 4;
    }

    /**
     * Writes the pixels into {@code rgb} as interleaved R, G, B bytes, top row first ({@code width × height × 3}
     * bytes from index 0).
     *
     * @throws IllegalStateException if the file is shorter than its rows, which {@link BmpContainer} rules out
     */
    void readInto(byte[] data, byte[] rgb) {
        long stride = rowStride();
        if (pixelOffset + stride * height > data.length || (long) width * height * 3 > rgb.length) {
            throw new IllegalStateException("BMP rows do not fit: " + width + "x" + height + " at "
                    + bytesPerPixel * 8 + " bits per pixel from byte " + pixelOffset + " of " + data.length);
        }
        int step = bytesPerPixel;
        for (int y = 0; y < height; y++) {
            int stored = topDown ? y : height - 1 - y;
            int in = (int) (pixelOffset + stored * stride);
            int out = y * width * 3;
            int end = out + width * 3;
            for (; out < end; out += 3, in += step) {
                rgb[out] = data[in + 2];
                rgb[out + 1] = data[in + 1];
                rgb[out + 2] = data[in];
            }
        }
    }
}

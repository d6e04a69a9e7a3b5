package io.edgeloop.protocol.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes uncompressed BMP files byte by byte, in the variants cameras, frame grabbers and image libraries produce
 * (ImageIO's own BMP writer only writes bottom-up {@code BI_RGB} files): 24 or 32 bits per pixel, rows bottom-up or
 * top-down, a 40-byte {@code BITMAPINFOHEADER} or a 108/124-byte V4/V5 header, {@code BI_RGB} or
 * {@code BI_BITFIELDS} with any masks, and a chosen fourth byte in 32-bit pixels.
 */
public final class BmpFiles {

    /** {@code BI_RGB}: no compression, B, G, R(, X) bytes. */
    public static final int BI_RGB = 0;
    /** {@code BI_BITFIELDS}: 32-bit pixels unpacked with the header's masks. */
    public static final int BI_BITFIELDS = 3;

    private BmpFiles() {
    }

    /**
     * How to lay a BMP out.
     *
     * @param bitsPerPixel 24 or 32
     * @param topDown      rows stored top row first (a negative height in the header)
     * @param dibSize      40, 108 or 124
     * @param compression  {@link #BI_RGB} or {@link #BI_BITFIELDS} (32 bits only)
     * @param masks        red, green, blue, alpha masks written for {@code BI_BITFIELDS}
     * @param fourth       the fourth byte of every 32-bit pixel (alpha or padding)
     */
    public record Layout(int bitsPerPixel, boolean topDown, int dibSize, int compression, int[] masks, int fourth) {

        /** Standard masks: red {@code 0xFF0000}, green {@code 0xFF00}, blue {@code 0xFF}, alpha {@code 0xFF000000}. */
        public static final int[] STANDARD_MASKS = {0xFF0000, 0xFF00, 0xFF, 0xFF000000};

        /** Uncompressed rows, a 40-byte header. */
        public static Layout plain(int bitsPerPixel, boolean topDown) {
            return new Layout(bitsPerPixel, topDown, 40, BI_RGB, STANDARD_MASKS, 0);
        }
    }

    /**
     * A BMP of {@code rgb} ({@code 0xRRGGBB} ints, row-major, top row first).
     *
     * @throws IllegalArgumentException for a layout this writer does not make
     */
    public static byte[] write(int[] rgb, int width, int height, Layout layout) {
        if (layout.bitsPerPixel() != 24 && layout.bitsPerPixel() != 32) {
            throw new IllegalArgumentException("bitsPerPixel is " + layout.bitsPerPixel() + ", allowed 24 or 32");
        }
        if (layout.dibSize() != 40 && layout.dibSize() != 108 && layout.dibSize() != 124) {
            throw new IllegalArgumentException("dibSize is " + layout.dibSize() + ", allowed 40, 108 or 124");
        }
        int bytesPerPixel = layout.bitsPerPixel() / 8;
        int stride = (width * bytesPerPixel + 3) / 4 * 4;
        boolean masksAfterHeader = layout.compression() == BI_BITFIELDS && layout.dibSize() == 40;
        int pixelOffset = 14 + layout.dibSize() + (masksAfterHeader ? 12 : 0);
        ByteBuffer out = ByteBuffer.allocate(pixelOffset + stride * height).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'B').put((byte) 'M').putInt(out.capacity()).putInt(0).putInt(pixelOffset);
        out.putInt(layout.dibSize()).putInt(width).putInt(layout.topDown() ? -height : height);
        out.putShort((short) 1).putShort((short) layout.bitsPerPixel()).putInt(layout.compression());
        out.putInt(stride * height).putInt(2835).putInt(2835).putInt(0).putInt(0);
        if (layout.dibSize() > 40 || masksAfterHeader) {
            for (int c = 0; c < (masksAfterHeader ? 3 : 4); c++) {
                out.putInt(layout.compression() == BI_BITFIELDS ? layout.masks()[c] : 0);
            }
        }
        if (layout.dibSize() > 40) {
            out.putInt(0x73524742); // 'sRGB' colour space; endpoints, gamma (and V5's intent, profile) stay zero
        }
        for (int y = 0; y < height; y++) {
            int row = layout.topDown() ? y : height - 1 - y;
            out.position(pixelOffset + row * stride);
            for (int x = 0; x < width; x++) {
                int p = rgb[y * width + x];
                out.put((byte) p).put((byte) (p >> 8)).put((byte) (p >> 16));
                if (bytesPerPixel == 4) {
                    out.put((byte) layout.fourth());
                }
            }
        }
        return out.array();
    }
}

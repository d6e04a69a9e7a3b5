package io.edgeloop.protocol.preprocess;

/**
 * Read access to 8-bit RGB pixels kept in an array the caller owns, without copying them: either packed
 * {@code 0xRRGGBB} ints (the data of a {@link java.awt.image.BufferedImage#TYPE_INT_RGB} image, possibly a
 * sub-image) or interleaved bytes, RGB (a raw video frame) or BGR (a
 * {@link java.awt.image.BufferedImage#TYPE_3BYTE_BGR} image, as the JPEG reader decodes). Whatever the source, rows
 * come out as interleaved RGB bytes. Mutable and reused by {@link ImagePreprocessor} so that a frame costs no
 * allocation; not thread-safe.
 */
final class PixelSource {

    private int[] ints;
    private byte[] bytes;
    private int offset;
    private int stride;
    private int width;
    private int height;
    /** Interleaved bytes: where the first and the third stored sample of a pixel go in an RGB output pixel. */
    private int firstTo;
    private int thirdTo;

    /** Points at packed {@code 0xRRGGBB} ints: pixel (x, y) is {@code data[offset + y * stride + x]}. */
    PixelSource packedInts(int[] data, int offset, int stride, int width, int height) {
        this.ints = data;
        this.bytes = null;
        this.offset = offset;
        this.stride = stride;
        this.width = width;
        this.height = height;
        return this;
    }

    /** Points at interleaved RGB bytes, {@code width × height × 3}, row-major. */
    PixelSource interleavedBytes(byte[] data, int width, int height) {
        return interleavedBytes(data, 0, width * 3, width, height, false);
    }

    /**
     * Points at interleaved 3-byte pixels: pixel (x, y) starts at {@code data[offset + y * stride + 3 * x]} and
     * holds R, G, B, or B, G, R when {@code bgr}.
     */
    PixelSource interleavedBytes(byte[] data, int offset, int stride, int width, int height, boolean bgr) {
        this.ints = null;
        this.bytes = data;
        this.offset = offset;
        this.stride = stride;
        this.width = width;
        this.height = height;
        this.firstTo = bgr ? 2 : 0;
        this.thirdTo = bgr ? 0 : 2;
        return this;
    }

    /** Drops the reference to the caller's array. */
    void clear() {
        ints = null;
        bytes = null;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Copies pixels {@code x0..x1} of row {@code y} into {@code dst} as interleaved RGB bytes. */
    void copyRow(int y, int x0, int x1, byte[] dst, int dstOffset) {
        if (ints != null) {
            int base = offset + y * stride;
            for (int x = x0, o = dstOffset; x < x1; x++, o += 3) {
                int p = ints[base + x];
                dst[o] = (byte) (p >> 16);
                dst[o + 1] = (byte) (p >> 8);
                dst[o + 2] = (byte) p;
            }
        } else if (firstTo == 0) {
            System.arraycopy(bytes, offset + y * stride + x0 * 3, dst, dstOffset, (x1 - x0) * 3);
        } else {
            int s = offset + y * stride + x0 * 3;
            for (int o = dstOffset, end = o + (x1 - x0) * 3; o < end; s += 3, o += 3) {
                dst[o + firstTo] = bytes[s];
                dst[o + 1] = bytes[s + 1];
                dst[o + thirdTo] = bytes[s + 2];
            }
        }
    }

    /**
     * Horizontal pass of PIL's resampling for output columns {@code x0..x1} of source row {@code y}, rounded to
     * 8 bits, written as interleaved RGB bytes.
     */
    void resampleRow(int y, ResampleWeights weights, int x0, int x1, byte[] dst, int dstOffset) {
        if (pairsFor(weights)) {
            resampleBytes5(y, weights, x0, x1, dst, dstOffset, 0, 0);
            return;
        }
        int[] k = weights.weights();
        int base = offset + y * stride;
        if (ints != null) {
            for (int xx = x0, o = dstOffset; xx < x1; xx++, o += 3) {
                int first = base + weights.first(xx);
                int count = weights.count(xx);
                int w0 = weights.weightOffset(xx);
                int r = ResampleWeights.HALF;
                int g = ResampleWeights.HALF;
                int b = ResampleWeights.HALF;
                for (int i = 0; i < count; i++) {
                    int p = ints[first + i];
                    int w = k[w0 + i];
                    r += ((p >> 16) & 0xFF) * w;
                    g += ((p >> 8) & 0xFF) * w;
                    b += (p & 0xFF) * w;
                }
                dst[o] = (byte) ResampleWeights.clip8(r);
                dst[o + 1] = (byte) ResampleWeights.clip8(g);
                dst[o + 2] = (byte) ResampleWeights.clip8(b);
            }
            return;
        }
        for (int xx = x0, o = dstOffset; xx < x1; xx++, o += 3) {
            int first = base + weights.first(xx) * 3;
            int count = weights.count(xx);
            int w0 = weights.weightOffset(xx);
            int s0 = ResampleWeights.HALF;
            int s1 = ResampleWeights.HALF;
            int s2 = ResampleWeights.HALF;
            for (int i = 0, s = first; i < count; i++, s += 3) {
                int w = k[w0 + i];
                s0 += (bytes[s] & 0xFF) * w;
                s1 += (bytes[s + 1] & 0xFF) * w;
                s2 += (bytes[s + 2] & 0xFF) * w;
            }
            dst[o + firstTo] = (byte) ResampleWeights.clip8(s0);
            dst[o + 1] = (byte) ResampleWeights.clip8(s1);
            dst[o + thirdTo] = (byte) ResampleWeights.clip8(s2);
        }
    }

    /**
     * Whether {@link #resampleRowPair} applies: interleaved bytes and a fixed window of five taps (downscales by
     * 1 to 2, e.g. 640×480 to 256).
     */
    boolean pairsFor(ResampleWeights weights) {
        return bytes != null && weights.windowed() && weights.kernelSize() == 5;
    }

    /**
     * {@link #resampleRow} for source rows {@code y} and {@code y + 1} at once (they share every weight and
     * index), writing them at {@code dstOffset} and {@code dstOffset + rowBytes}; only where {@link #pairsFor}.
     */
    void resampleRowPair(int y, ResampleWeights weights, int x0, int x1, byte[] dst, int dstOffset, int rowBytes) {
        resampleBytes5(y, weights, x0, x1, dst, dstOffset, stride, rowBytes);
    }

    /**
     * The byte path over fixed five-sample windows ({@link ResampleWeights#windowed()}), written out so that the
     * compiler keeps the weights in registers; with {@code nextRow} > 0 also the row after {@code y}, written
     * {@code nextOut} bytes after the first.
     */
    private void resampleBytes5(int y, ResampleWeights weights, int x0, int x1, byte[] dst, int dstOffset,
                                int nextRow, int nextOut) {
        byte[] b = bytes;
        int[] k = weights.windowWeights();
        int base = offset + y * stride;
        for (int xx = x0, o = dstOffset; xx < x1; xx++, o += 3) {
            int s = base + weights.windowStart(xx) * 3;
            int w0 = weights.weightOffset(xx);
            int k0 = k[w0];
            int k1 = k[w0 + 1];
            int k2 = k[w0 + 2];
            int k3 = k[w0 + 3];
            int k4 = k[w0 + 4];
            writePixel5(b, s, k0, k1, k2, k3, k4, dst, o);
            if (nextRow > 0) {
                writePixel5(b, s + nextRow, k0, k1, k2, k3, k4, dst, o + nextOut);
            }
        }
    }

    /** One output pixel from five interleaved source pixels starting at {@code s}. */
    private void writePixel5(byte[] b, int s, int k0, int k1, int k2, int k3, int k4, byte[] dst, int o) {
        dst[o + firstTo] = (byte) ResampleWeights.clip8(tap5(b, s, k0, k1, k2, k3, k4));
        dst[o + 1] = (byte) ResampleWeights.clip8(tap5(b, s + 1, k0, k1, k2, k3, k4));
        dst[o + thirdTo] = (byte) ResampleWeights.clip8(tap5(b, s + 2, k0, k1, k2, k3, k4));
    }

    /** The fixed-point sum of one channel over five pixels (stride 3) starting at {@code s}, with rounding bias. */
    private static int tap5(byte[] b, int s, int k0, int k1, int k2, int k3, int k4) {
        return ResampleWeights.HALF + (b[s] & 0xFF) * k0 + (b[s + 3] & 0xFF) * k1 + (b[s + 6] & 0xFF) * k2
                + (b[s + 9] & 0xFF) * k3 + (b[s + 12] & 0xFF) * k4;
    }
}

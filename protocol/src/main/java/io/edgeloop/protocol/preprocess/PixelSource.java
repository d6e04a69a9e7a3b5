package io.edgeloop.protocol.preprocess;

/**
 * Read access to 8-bit RGB pixels kept in an array the caller owns, without copying them: either packed
 * {@code 0xRRGGBB} ints (the data of a {@link java.awt.image.BufferedImage#TYPE_INT_RGB} image, possibly a
 * sub-image) or interleaved RGB bytes (a raw video frame). Mutable and reused by {@link ImagePreprocessor} so that
 * a frame costs no allocation; not thread-safe.
 */
final class PixelSource {

    private int[] ints;
    private byte[] bytes;
    private int offset;
    private int stride;
    private int width;
    private int height;

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
        this.ints = null;
        this.bytes = data;
        this.offset = 0;
        this.stride = width * 3;
        this.width = width;
        this.height = height;
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
        } else {
            System.arraycopy(bytes, y * stride + x0 * 3, dst, dstOffset, (x1 - x0) * 3);
        }
    }

    /**
     * Horizontal pass of PIL's resampling for output columns {@code x0..x1} of source row {@code y}, rounded to
     * 8 bits, written as interleaved RGB bytes.
     */
    void resampleRow(int y, ResampleWeights weights, int x0, int x1, byte[] dst, int dstOffset) {
        int[] k = weights.weights();
        if (ints != null) {
            int base = offset + y * stride;
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
        } else {
            int base = y * stride;
            for (int xx = x0, o = dstOffset; xx < x1; xx++, o += 3) {
                int first = base + weights.first(xx) * 3;
                int count = weights.count(xx);
                int w0 = weights.weightOffset(xx);
                int r = ResampleWeights.HALF;
                int g = ResampleWeights.HALF;
                int b = ResampleWeights.HALF;
                for (int i = 0, s = first; i < count; i++, s += 3) {
                    int w = k[w0 + i];
                    r += (bytes[s] & 0xFF) * w;
                    g += (bytes[s + 1] & 0xFF) * w;
                    b += (bytes[s + 2] & 0xFF) * w;
                }
                dst[o] = (byte) ResampleWeights.clip8(r);
                dst[o + 1] = (byte) ResampleWeights.clip8(g);
                dst[o + 2] = (byte) ResampleWeights.clip8(b);
            }
        }
    }
}

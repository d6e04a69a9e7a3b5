package io.edgeloop.protocol.preprocess;

import java.util.Arrays;

/**
 * Resizes 8-bit RGB pixels with PIL's antialiased bilinear filter and cuts out a crop window in the same step,
 * reproducing {@code PIL.Image.resize(size, BILINEAR)} (as torchvision's {@code Resize} calls it) bit for bit:
 * a horizontal pass, rounding to 8 bits, then a vertical pass, both in 22-bit fixed point (see
 * {@link ResampleWeights}). Only the source rows and output columns the crop needs are computed; every computed
 * pixel is exactly what PIL computes for it, so cropping first changes nothing but the cost.
 *
 * <p>Not thread-safe: the filter weights of the last source/target size and the scratch rows are kept and reused,
 * so frames of one size allocate nothing.
 */
final class Resampler {

    private ResampleWeights horizontal;
    private ResampleWeights vertical;
    /** Horizontally resampled source rows, interleaved RGB, {@code cropColumns × rows × 3}. */
    private byte[] rows = new byte[0];
    /** One accumulator per output sample of a row in the vertical pass. */
    private int[] sums = new int[0];

    /**
     * Resizes the source image to {@code outWidth × outHeight} and writes the window
     * {@code [left, left + cropWidth) × [top, top + cropHeight)} of the result to {@code dst} as interleaved RGB
     * bytes, row-major. Window parts outside the resized image (negative {@code left}/{@code top}, or past its
     * end) are black, like torchvision's zero padding in {@code CenterCrop}.
     *
     * @param source the pixels, packed as {@link PixelSource} describes
     */
    void resizeCrop(PixelSource source, int outWidth, int outHeight,
                    int left, int top, int cropWidth, int cropHeight, byte[] dst) {
        int srcWidth = source.width();
        int srcHeight = source.height();
        int x0 = Math.max(left, 0);
        int x1 = Math.min(left + cropWidth, outWidth);
        int y0 = Math.max(top, 0);
        int y1 = Math.min(top + cropHeight, outHeight);
        if (x0 != left || y0 != top || x1 != left + cropWidth || y1 != top + cropHeight) {
            Arrays.fill(dst, 0, cropWidth * cropHeight * 3, (byte) 0);
        }
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        boolean resizeX = outWidth != srcWidth;
        boolean resizeY = outHeight != srcHeight;
        if (resizeX && (horizontal == null || !horizontal.matches(srcWidth, outWidth, x0, x1))) {
            horizontal = ResampleWeights.bilinear(srcWidth, outWidth, x0, x1);
        }
        if (resizeY && (vertical == null || !vertical.matches(srcHeight, outHeight, y0, y1))) {
            vertical = ResampleWeights.bilinear(srcHeight, outHeight, y0, y1);
        }
        // Source rows the vertical pass reads for output rows y0..y1.
        int r0 = y0;
        int r1 = y1;
        if (resizeY) {
            r0 = Integer.MAX_VALUE;
            r1 = 0;
            for (int y = y0; y < y1; y++) {
                r0 = Math.min(r0, vertical.first(y));
                r1 = Math.max(r1, vertical.first(y) + vertical.count(y));
            }
        }
        int columns = x1 - x0;
        int rowBytes = columns * 3;
        int needed = rowBytes * (r1 - r0);
        if (rows.length < needed) {
            rows = new byte[needed];
        }
        boolean pairs = resizeX && source.pairsFor(horizontal);
        for (int y = r0; y < r1; y++) {
            int rowStart = (y - r0) * rowBytes;
            if (pairs && y + 1 < r1) {
                source.resampleRowPair(y, horizontal, x0, x1, rows, rowStart, rowBytes);
                y++;
            } else if (resizeX) {
                source.resampleRow(y, horizontal, x0, x1, rows, rowStart);
            } else {
                source.copyRow(y, x0, x1, rows, rowStart);
            }
        }
        int dstStride = cropWidth * 3;
        int dstColumn = (x0 - left) * 3;
        if (!resizeY) {
            for (int y = y0; y < y1; y++) {
                System.arraycopy(rows, (y - r0) * rowBytes, dst, (y - top) * dstStride + dstColumn, rowBytes);
            }
            return;
        }
        if (sums.length < rowBytes) {
            sums = new int[rowBytes];
        }
        int[] weights = vertical.weights();
        for (int y = y0; y < y1; y++) {
            Arrays.fill(sums, 0, rowBytes, ResampleWeights.HALF);
            int first = vertical.first(y) - r0;
            int count = vertical.count(y);
            int w0 = vertical.weightOffset(y);
            for (int k = 0; k < count; k++) {
                int weight = weights[w0 + k];
                int rowStart = (first + k) * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    sums[i] += (rows[rowStart + i] & 0xFF) * weight;
                }
            }
            int out = (y - top) * dstStride + dstColumn;
            for (int i = 0; i < rowBytes; i++) {
                dst[out + i] = (byte) ResampleWeights.clip8(sums[i]);
            }
        }
    }
}

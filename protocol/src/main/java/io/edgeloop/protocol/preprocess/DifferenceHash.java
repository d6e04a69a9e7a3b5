package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;

/**
 * A 64-bit difference hash (dHash) of an image: the image is averaged down to 9×8 grey cells, and each bit says
 * whether a cell is brighter than its right neighbour. Re-encoding, small noise and slight brightness changes keep
 * most bits, so a small Hamming distance between two hashes means "nearly the same picture" — the same scene from a
 * static camera, or the same frame sent twice at another JPEG quality. One implementation for the device's
 * hard-example selector and the workstation's collector, so their near-duplicate rules agree.
 */
public final class DifferenceHash {

    private static final int COLUMNS = 9;
    private static final int ROWS = 8;

    private DifferenceHash() {
    }

    /** The hash of an RGB image. */
    public static long of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] sum = new double[COLUMNS * ROWS];
        double[] weight = new double[COLUMNS * ROWS];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int cy = (int) ((long) y * ROWS / h);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                double grey = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                int cx = (int) ((long) x * COLUMNS / w);
                sum[cy * COLUMNS + cx] += grey;
                weight[cy * COLUMNS + cx] += 1;
            }
        }
        double[] cells = new double[COLUMNS * ROWS];
        for (int i = 0; i < cells.length; i++) {
            // Images narrower than 9 pixels leave cells empty: repeat the left neighbour (no spurious edges).
            cells[i] = weight[i] > 0 ? sum[i] / weight[i] : (i % COLUMNS > 0 ? cells[i - 1] : 0);
        }
        long hash = 0;
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS - 1; x++) {
                hash <<= 1;
                if (cells[y * COLUMNS + x] > cells[y * COLUMNS + x + 1]) {
                    hash |= 1;
                }
            }
        }
        return hash;
    }

    /** The number of differing bits (0 = same hash, 64 = opposite). */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** The hash as 16 lowercase hex digits. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }
}

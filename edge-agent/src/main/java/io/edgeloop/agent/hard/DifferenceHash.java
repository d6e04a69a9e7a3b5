package io.edgeloop.agent.hard;

import java.awt.image.BufferedImage;

/**
 * A 64-bit difference hash (dHash): the image shrunk to 9×8 grey cells by area averaging, one bit per horizontal
 * neighbour comparison. Near-identical frames (same scene, small noise or compression changes) have hashes a few
 * bits apart.
 */
public final class DifferenceHash {

    private DifferenceHash() {
    }

    /** Hashes an RGB image. */
    public static long of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] cells = new double[9 * 8];
        int[] row = new int[w];
        int[] counts = new int[9 * 8];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int cy = Math.min(7, y * 8 / h);
            for (int x = 0; x < w; x++) {
                int cx = Math.min(8, x * 9 / w);
                int p = row[x];
                double grey = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
                cells[cy * 9 + cx] += grey;
                counts[cy * 9 + cx]++;
            }
        }
        long hash = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                double left = cells[y * 9 + x] / Math.max(1, counts[y * 9 + x]);
                double right = cells[y * 9 + x + 1] / Math.max(1, counts[y * 9 + x + 1]);
                hash = (hash << 1) | (left > right ? 1 : 0);
            }
        }
        return hash;
    }

    /** Number of differing bits. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}

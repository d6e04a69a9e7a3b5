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

    /**
     * The hash of an RGB image. {@code TYPE_INT_RGB} and interleaved 3-byte images (what {@link ImageDecoder}
     * returns) are read from their arrays; other types through {@link BufferedImage#getRGB}, with the same result.
     */
    public static long of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] sum = new double[COLUMNS * ROWS];
        double[] weight = new double[COLUMNS * ROWS];
        int[] cellOfColumn = new int[w];
        for (int x = 0; x < w; x++) {
            cellOfColumn[x] = (int) ((long) x * COLUMNS / w);
        }
        int[] row = new int[w];
        Rows rows = Rows.of(image);
        for (int y = 0; y < h; y++) {
            rows.read(image, y, row);
            int cy = (int) ((long) y * ROWS / h) * COLUMNS;
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                double grey = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                sum[cy + cellOfColumn[x]] += grey;
                weight[cy + cellOfColumn[x]] += 1;
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

    /** Reads rows of an image as packed {@code 0xRRGGBB} ints. */
    @FunctionalInterface
    private interface Rows {
        void read(BufferedImage image, int y, int[] row);

        static Rows of(BufferedImage image) {
            if (RgbConversion.isPackedIntRgb(image)) {
                return (img, y, row) -> img.getRaster().getDataElements(0, y, img.getWidth(), 1, row);
            }
            if (InterleavedRgb.orderOf(image) != null) {
                byte[] bgr = new byte[image.getWidth() * 3];
                return (img, y, row) -> {
                    // data elements come in band order: R, G, B
                    img.getRaster().getDataElements(0, y, img.getWidth(), 1, bgr);
                    for (int x = 0, p = 0; x < row.length; x++, p += 3) {
                        row[x] = ((bgr[p] & 0xFF) << 16) | ((bgr[p + 1] & 0xFF) << 8) | (bgr[p + 2] & 0xFF);
                    }
                };
            }
            return (img, y, row) -> img.getRGB(0, y, img.getWidth(), 1, row, 0, img.getWidth());
        }
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

package io.edgeloop.trainer.calibrate;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a classifier's confidence matches its accuracy: images are grouped by their top-1 probability into
 * equal-width bins over [0, 1] (bin {@code m} of {@code M} holds confidences in {@code ((m-1)/M, m/M]}, the first
 * also 0), and each bin's mean confidence is set against the share of its images that were classified correctly.
 * The expected calibration error is the images-weighted mean gap, {@code ECE = Σ (n_m / N) |acc_m - conf_m|}
 * (Naeini et al. 2015, Guo et al. 2017); 0 is perfectly calibrated.
 *
 * @param bins   the bins in order, empty ones included
 * @param images images counted
 * @param ece    expected calibration error in [0, 1]; 0 without images
 */
public record ReliabilityDiagram(List<Bin> bins, int images, double ece) {

    /** The default number of bins (as in Guo et al.). */
    public static final int DEFAULT_BINS = 15;

    /**
     * One confidence bin.
     *
     * @param lower      lower edge (exclusive, except 0)
     * @param upper      upper edge (inclusive)
     * @param count      images whose top-1 probability falls in the bin
     * @param confidence their mean top-1 probability; NaN when the bin is empty
     * @param accuracy   the share of them classified correctly; NaN when the bin is empty
     */
    public record Bin(double lower, double upper, int count, double confidence, double accuracy) {
    }

    public ReliabilityDiagram {
        bins = List.copyOf(bins);
    }

    /**
     * The diagram of row-major probabilities.
     *
     * @param probabilities images × classes, each row summing to 1
     * @param truth         each image's true class
     * @param binCount      number of equal-width bins, 1..1000
     */
    public static ReliabilityDiagram of(float[] probabilities, int[] truth, int classes, int binCount) {
        if (binCount < 1 || binCount > 1000) {
            throw new IllegalArgumentException("bins is " + binCount + ", allowed 1..1000");
        }
        if (probabilities.length != truth.length * classes) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values, expected "
                    + truth.length + " images × " + classes + " classes");
        }
        int[] count = new int[binCount];
        int[] correct = new int[binCount];
        double[] confidence = new double[binCount];
        for (int i = 0; i < truth.length; i++) {
            int best = argmax(probabilities, i * classes, classes);
            double p = probabilities[i * classes + best];
            int bin = Math.min(binCount - 1, Math.max(0, (int) Math.ceil(p * binCount) - 1));
            count[bin]++;
            confidence[bin] += p;
            if (best == truth[i]) {
                correct[bin]++;
            }
        }
        List<Bin> bins = new ArrayList<>(binCount);
        double ece = 0;
        for (int m = 0; m < binCount; m++) {
            double conf = count[m] == 0 ? Double.NaN : confidence[m] / count[m];
            double acc = count[m] == 0 ? Double.NaN : (double) correct[m] / count[m];
            if (count[m] > 0) {
                ece += (double) count[m] / truth.length * Math.abs(acc - conf);
            }
            bins.add(new Bin((double) m / binCount, (double) (m + 1) / binCount, count[m], conf, acc));
        }
        return new ReliabilityDiagram(bins, truth.length, ece);
    }

    /** Index of the largest of {@code k} values from {@code offset}; the first one on ties. */
    static int argmax(float[] values, int offset, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}

package io.edgeloop.trainer.fleet;

import java.util.List;

/**
 * How far apart two distributions over the same categories are. Drift telemetry uses the Jensen–Shannon
 * divergence in bits: symmetric, bounded (0 for equal distributions, 1 for disjoint ones, so one threshold means
 * the same for any number of classes) and defined when a category is empty on one side, which is common: a class
 * a camera never sees, or a class with no training images. The population stability index, its usual alternative,
 * is unbounded and undefined for empty bins unless they are smoothed, which makes its thresholds depend on the
 * smoothing.
 */
public final class Divergence {

    private Divergence() {
    }

    /**
     * Jensen–Shannon divergence of two distributions in bits, in [0, 1].
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double jensenShannon(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions have " + p.length + " and " + q.length
                    + " categories, allowed equal lengths");
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            sum += term(p[i], m) + term(q[i], m);
        }
        return Math.max(0, Math.min(1, sum / 2));
    }

    private static double term(double x, double m) {
        return x > 0 ? x * Math.log(x / m) / Math.log(2) : 0;
    }

    /** Counts as shares that add up to 1 (all 0 when the counts are). */
    public static double[] shares(List<Long> counts) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] shares = new double[counts.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = total == 0 ? 0 : counts.get(i) / total;
        }
        return shares;
    }
}

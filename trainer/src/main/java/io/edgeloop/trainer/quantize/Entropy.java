package io.edgeloop.trainer.quantize;

/** The KL-divergence threshold search of {@link ActivationHistogram}, on a histogram of magnitudes. */
final class Entropy {

    private Entropy() {
    }

    /**
     * The number of bins from 0 whose clipped distribution, quantised to {@code levels} levels, diverges least from
     * the original: at least {@code levels} (below that nothing is lost), at most {@code histogram.length}.
     */
    static int bestThreshold(long[] histogram, int levels) {
        int n = histogram.length;
        if (n <= levels) {
            return n;
        }
        int best = n;
        double bestKl = Double.POSITIVE_INFINITY;
        double[] p = new double[n];
        double[] q = new double[n];
        for (int i = levels; i <= n; i++) {
            long outliers = 0;
            for (int b = i; b < n; b++) {
                outliers += histogram[b];
            }
            for (int b = 0; b < i; b++) {
                p[b] = histogram[b];
            }
            p[i - 1] += outliers;
            // merge bins 0..i-1 into `levels` groups, then spread each group's count over its non-empty bins
            for (int level = 0; level < levels; level++) {
                int start = (int) ((long) level * i / levels);
                int end = (int) ((long) (level + 1) * i / levels);
                double sum = 0;
                int nonEmpty = 0;
                for (int b = start; b < end; b++) {
                    sum += histogram[b];
                    if (histogram[b] != 0) {
                        nonEmpty++;
                    }
                }
                for (int b = start; b < end; b++) {
                    q[b] = histogram[b] != 0 ? sum / nonEmpty : 0;
                }
            }
            double kl = divergence(p, q, i);
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        return best;
    }

    /** KL(P || Q) over the first {@code n} bins, both normalised; a bin where P has mass and Q none costs a lot. */
    private static double divergence(double[] p, double[] q, int n) {
        double sumP = 0;
        double sumQ = 0;
        for (int b = 0; b < n; b++) {
            sumP += p[b];
            sumQ += q[b];
        }
        if (sumP == 0 || sumQ == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int b = 0; b < n; b++) {
            if (p[b] > 0) {
                double pb = p[b] / sumP;
                double qb = q[b] > 0 ? q[b] / sumQ : 1e-12;
                kl += pb * Math.log(pb / qb);
            }
        }
        return kl;
    }
}

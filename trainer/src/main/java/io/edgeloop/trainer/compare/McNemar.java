package io.edgeloop.trainer.compare;

/**
 * McNemar's exact test for two classifiers scored on the same images: only the discordant pairs count, {@code b}
 * images that the baseline got right and the candidate wrong, {@code c} the other way round. Under "equally good"
 * each discordant image is a fair coin, so the two-sided p-value is twice the binomial tail of the rarer outcome
 * (capped at 1), computed exactly in log space so it stays right for thousands of pairs.
 *
 * @param baselineOnly  images only the baseline classified correctly
 * @param candidateOnly images only the candidate classified correctly
 * @param pValue        two-sided exact p-value
 */
public record McNemar(int baselineOnly, int candidateOnly, double pValue) {

    public McNemar {
        if (baselineOnly < 0 || candidateOnly < 0) {
            throw new IllegalArgumentException("discordant counts are " + baselineOnly + " and " + candidateOnly
                    + ", allowed >= 0");
        }
    }

    /** The test for these discordant counts. */
    public static McNemar of(int baselineOnly, int candidateOnly) {
        int n = baselineOnly + candidateOnly;
        int k = Math.min(baselineOnly, candidateOnly);
        if (n == 0) {
            return new McNemar(0, 0, 1.0);
        }
        // P(X <= k), X ~ Binomial(n, 1/2)
        double tail = 0;
        double logHalfN = -n * Math.log(2);
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logChoose(n, i) + logHalfN);
        }
        return new McNemar(baselineOnly, candidateOnly, Math.min(1.0, 2 * tail));
    }

    private static double logChoose(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}

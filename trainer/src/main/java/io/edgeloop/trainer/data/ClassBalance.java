package io.edgeloop.trainer.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Class-imbalance tools: inverse-frequency class weights for the loss, the epoch orders of a plain shuffle and of a
 * class-balanced sampler. Orders are deterministic functions of (seed, epoch).
 */
public final class ClassBalance {

    private ClassBalance() {
    }

    /**
     * Inverse-frequency weights normalised to mean 1 over the samples: {@code w_c = N / (K × n_c)} (scikit-learn's
     * "balanced"); a class without samples gets 0.
     */
    public static float[] inverseFrequencyWeights(int[] counts) {
        long total = 0;
        int present = 0;
        for (int c : counts) {
            total += c;
            present += c > 0 ? 1 : 0;
        }
        float[] w = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            w[i] = counts[i] == 0 ? 0f : (float) ((double) total / ((double) present * counts[i]));
        }
        return w;
    }

    /** A seeded permutation of {@code 0..n-1} for the epoch (Fisher–Yates). */
    public static int[] shuffledOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(BatchLoader.mix(seed, epoch, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * A class-balanced epoch of {@code samples.size()} draws: each draw picks a class uniformly, then an image of
     * that class uniformly (with replacement), so rare classes are seen as often as common ones.
     */
    public static int[] balancedOrder(List<ImageSample> samples, int numClasses, long seed, int epoch) {
        int[] counts = ImageFolder.countsPerClass(samples, numClasses);
        int[][] members = new int[numClasses][];
        int[] fill = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            members[c] = new int[counts[c]];
        }
        for (int i = 0; i < samples.size(); i++) {
            int c = samples.get(i).label();
            members[c][fill[c]++] = i;
        }
        int[] nonEmpty = java.util.stream.IntStream.range(0, numClasses).filter(c -> counts[c] > 0).toArray();
        SplittableRandom random = new SplittableRandom(BatchLoader.mix(seed, epoch, -2));
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            int[] pool = members[nonEmpty[random.nextInt(nonEmpty.length)]];
            order[i] = pool[random.nextInt(pool.length)];
        }
        return order;
    }
}

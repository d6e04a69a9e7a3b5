package io.edgeloop.trainer.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Per-class score thresholds for a target precision. For class {@code c}, take the images whose top-1 class is
 * {@code c} and sort them by that score; the threshold is the lowest of their scores {@code s} such that, of those
 * with a score of at least {@code s}, at least the target share really are {@code c}. Images with equal scores are
 * kept or dropped together (a threshold cannot split them). No such score (or no image predicted as {@code c}):
 * no threshold. The threshold is rounded to 6 decimals, as the agent rounds the scores it publishes and compares
 * them with the threshold, so the validation image it came from still passes there.
 */
public final class PrecisionThresholds {

    private PrecisionThresholds() {
    }

    /**
     * One class's outcome.
     *
     * @param label     the class
     * @param threshold the threshold; empty when no score reaches the target
     * @param predicted validation images whose top-1 class is this one
     * @param kept      of those, the ones at or above the threshold (0 without a threshold)
     * @param precision the share of the kept ones that are this class; without a threshold, the best precision any
     *                  threshold reaches (NaN when the class was never predicted)
     * @param recall    the kept correct ones over the class's images ({@code support}); 0 without a threshold
     * @param support   validation images of this class
     */
    public record ClassThreshold(String label, OptionalDouble threshold, int predicted, int kept, double precision,
                                 double recall, int support) {
    }

    /**
     * Thresholds for every class.
     *
     * @param probabilities   row-major images × classes (calibrated: what the device will see)
     * @param truth           each image's true class
     * @param labels          class names, index order
     * @param targetPrecision in (0, 1]
     */
    public static List<ClassThreshold> compute(float[] probabilities, int[] truth, List<String> labels,
                                               double targetPrecision) {
        int k = labels.size();
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("target precision is " + targetPrecision + ", allowed (0, 1]");
        }
        if (probabilities.length != truth.length * k) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values, expected "
                    + truth.length + " images × " + k + " classes");
        }
        List<List<double[]>> byClass = new ArrayList<>(k);
        int[] support = new int[k];
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < truth.length; i++) {
            int best = ReliabilityDiagram.argmax(probabilities, i * k, k);
            byClass.get(best).add(new double[] {probabilities[i * k + best], best == truth[i] ? 1 : 0});
            support[truth[i]]++;
        }
        List<ClassThreshold> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            out.add(forClass(labels.get(c), byClass.get(c), support[c], targetPrecision));
        }
        return out;
    }

    private static ClassThreshold forClass(String label, List<double[]> predictions, int support, double target) {
        if (predictions.isEmpty()) {
            return new ClassThreshold(label, OptionalDouble.empty(), 0, 0, Double.NaN, 0, support);
        }
        double[][] sorted = predictions.toArray(new double[0][]);
        Arrays.sort(sorted, Comparator.comparingDouble((double[] p) -> p[0]).reversed());
        int correct = 0;
        int chosen = -1;
        int chosenCorrect = 0;
        double bestPrecision = 0;
        for (int i = 0; i < sorted.length; i++) {
            correct += (int) sorted[i][1];
            boolean endOfTies = i + 1 == sorted.length || sorted[i + 1][0] != sorted[i][0];
            if (!endOfTies) {
                continue;
            }
            double precision = (double) correct / (i + 1);
            bestPrecision = Math.max(bestPrecision, precision);
            if (precision >= target) {
                chosen = i;
                chosenCorrect = correct;
            }
        }
        if (chosen < 0) {
            return new ClassThreshold(label, OptionalDouble.empty(), sorted.length, 0, bestPrecision, 0, support);
        }
        double threshold = Math.round(sorted[chosen][0] * 1e6) / 1e6;
        return new ClassThreshold(label, OptionalDouble.of(threshold), sorted.length, chosen + 1,
                (double) chosenCorrect / (chosen + 1), support == 0 ? 0 : (double) chosenCorrect / support, support);
    }
}

package io.edgeloop.trainer.warning;

import io.edgeloop.trainer.train.Evaluation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The 95 % Wilson score interval of an accuracy measured as {@code correct} of {@code images}: the range the true
 * accuracy lies in with 95 % confidence, from the images at hand. Wilson's interval (not the normal approximation
 * p ± 1.96·√(p(1−p)/n)) stays inside [0, 1] and keeps its coverage for small sets and accuracies near 0 or 1,
 * which is exactly where a few-shot run's validation set sits.
 *
 * @param correct images classified correctly, 0 ≤ correct ≤ images
 * @param images  images evaluated, ≥ 1
 * @param low     lower bound, fraction
 * @param high    upper bound, fraction
 */
public record AccuracyInterval(int correct, int images, double low, double high) {

    /** z for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    /** The interval's confidence level. */
    public static final double CONFIDENCE = 0.95;

    public AccuracyInterval {
        if (images < 1) {
            throw new IllegalArgumentException("images is " + images + ", allowed >= 1");
        }
        if (correct < 0 || correct > images) {
            throw new IllegalArgumentException("correct is " + correct + ", allowed 0.." + images);
        }
    }

    /** Wilson's 95 % interval for {@code correct} of {@code images}. */
    public static AccuracyInterval wilson(int correct, int images) {
        if (images < 1) {
            throw new IllegalArgumentException("images is " + images + ", allowed >= 1");
        }
        double[] bounds = bounds((double) correct / images, images);
        return new AccuracyInterval(correct, images, bounds[0], bounds[1]);
    }

    /** The interval of an evaluation's accuracy; correct = the confusion matrix's diagonal. */
    public static AccuracyInterval of(Evaluation evaluation) {
        int[][] confusion = evaluation.confusion();
        int correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return wilson(correct, evaluation.images());
    }

    /** The measured accuracy, correct / images. */
    public double accuracy() {
        return (double) correct / images;
    }

    /** Half the interval's width, as a fraction (0.05 = ±5 points). */
    public double halfWidth() {
        return (high - low) / 2;
    }

    /**
     * How many images a set would need for Wilson's interval to be at most ±{@code halfWidth} at the same measured
     * accuracy (the smallest such n; the width shrinks monotonically with n at a fixed accuracy).
     */
    public static int imagesFor(double accuracy, double halfWidth) {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy is " + accuracy + ", allowed 0..1");
        }
        if (!(halfWidth > 0 && halfWidth < 0.5)) {
            throw new IllegalArgumentException("halfWidth is " + halfWidth + ", allowed 0 < halfWidth < 0.5");
        }
        int lo = 1;
        int hi = 1;
        while (halfWidth(accuracy, hi) > halfWidth) {
            lo = hi;
            hi *= 2;
        }
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (halfWidth(accuracy, mid) > halfWidth) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** {@code 91.0 % (95 % CI 84.3–95.0 %, n=120)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%.1f %% (95 %% CI %.1f–%.1f %%, n=%d)", 100 * accuracy(), 100 * low,
                100 * high, images);
    }

    /** {@code {"confidence":0.95,"method":"wilson","low":…,"high":…,"correct":k,"images":n}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("confidence", CONFIDENCE);
        m.put("method", "wilson");
        m.put("low", low);
        m.put("high", high);
        m.put("correct", correct);
        m.put("images", images);
        return m;
    }

    private static double halfWidth(double p, int n) {
        double[] b = bounds(p, n);
        return (b[1] - b[0]) / 2;
    }

    private static double[] bounds(double p, int n) {
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}

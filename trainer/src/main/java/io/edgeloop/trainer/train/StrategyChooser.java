package io.edgeloop.trainer.train;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.Arrays;

/**
 * Resolves {@link FineTuneStrategy#AUTO} from the median number of training images per class. The thresholds
 * live here and only here. They are set from the project's transfer-learning experiment
 * ({@code docs/transfer-learning.md}: the committed base model on the Fashion-MNIST target task, 1 to 5,975 images
 * per class, 5 seeds): training the head alone was the least accurate strategy at every size, partial and full
 * fine-tuning were tied (within one standard deviation) from 1 to 100 images per class, and full was ahead at 500
 * and beyond. So {@code auto} never picks the head alone, picks partial (cheaper, never worse there) up to
 * {@link #PARTIAL_MAX_MEDIAN} and full above it. {@code head} stays available on request.
 */
public final class StrategyChooser {

    /**
     * Median images per class up to this: train the head only. 0, i.e. never: in the experiment the head alone
     * was 3 to 12 points below partial fine-tuning at every size from 1 to 5,975 images per class (was 20, the
     * usual advice).
     */
    public static final int HEAD_MAX_MEDIAN = 0;
    /**
     * Median images per class up to this (and above {@link #HEAD_MAX_MEDIAN}): partial fine-tuning. Measured: tied
     * with full at 1–100 images per class, behind full at 500 (95.9 ± 1.0 % vs 96.4 ± 0.2 %); the switch lies
     * between 100 and 500 and stays at 200.
     */
    public static final int PARTIAL_MAX_MEDIAN = 200;

    private StrategyChooser() {
    }

    /**
     * The strategy to use and why. A strategy other than AUTO is kept as requested.
     *
     * @param countsPerClass training images per class
     */
    public static StrategyDecision choose(FineTuneStrategy requested, int[] countsPerClass) {
        double median = median(countsPerClass);
        if (requested != FineTuneStrategy.AUTO) {
            return new StrategyDecision(requested, requested, median,
                    "requested " + requested.name().toLowerCase() + " (median " + format(median)
                            + " training images per class)");
        }
        FineTuneStrategy chosen;
        String rule;
        if (median <= HEAD_MAX_MEDIAN) {
            chosen = FineTuneStrategy.HEAD;
            rule = "<= " + HEAD_MAX_MEDIAN + " → head only";
        } else if (median <= PARTIAL_MAX_MEDIAN) {
            chosen = FineTuneStrategy.PARTIAL;
            rule = "in " + (HEAD_MAX_MEDIAN + 1) + ".." + PARTIAL_MAX_MEDIAN + " → partial fine-tuning";
        } else {
            chosen = FineTuneStrategy.FULL;
            rule = "> " + PARTIAL_MAX_MEDIAN + " → full fine-tuning";
        }
        return new StrategyDecision(FineTuneStrategy.AUTO, chosen, median,
                "auto: median " + format(median) + " training images per class " + rule);
    }

    static double median(int[] counts) {
        if (counts.length == 0) {
            return 0;
        }
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package io.edgeloop.trainer.train;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.Arrays;

/**
 * Resolves {@link FineTuneStrategy#AUTO} from the median number of training images per class. The thresholds
 * live here and only here; they are first guesses from the usual transfer-learning advice, to be tuned from the
 * project's experiment.
 */
public final class StrategyChooser {

    /** Median images per class up to this: train the head only. */
    public static final int HEAD_MAX_MEDIAN = 20;
    /** Median images per class up to this (and above {@link #HEAD_MAX_MEDIAN}): partial fine-tuning. */
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

package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.compare.PairedComparison;
import io.edgeloop.trainer.compare.PairedComparison.ClassDelta;
import io.edgeloop.trainer.warning.AccuracyInterval;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;

/** The figures of a {@link PairedComparison} as {@code trainer compare} and the deploy gate print them. */
final class ComparisonTable {

    private ComparisonTable() {
    }

    /** Both accuracies with their intervals, per-class recall, McNemar's test and the verdict. */
    static void print(PrintWriter out, String indent, String baseline, String candidate, PairedComparison c) {
        out.printf(Locale.ROOT, "%sbaseline  %s: %s%n", indent, baseline, accuracy(c.baselineCorrect(), c.images()));
        out.printf(Locale.ROOT, "%scandidate %s: %s%n", indent, candidate,
                accuracy(c.candidateCorrect(), c.images()));
        int width = Math.max(5, c.perClass().stream().mapToInt(d -> d.label().length()).max().orElse(5));
        out.printf(Locale.ROOT, "%s%-" + width + "s  images  baseline  candidate  recall delta%n", indent, "class");
        for (ClassDelta d : c.perClass()) {
            out.printf(Locale.ROOT, "%s%-" + width + "s  %6d  %8d  %9d  %+8.1f pts%n", indent, d.label(), d.images(),
                    d.baselineCorrect(), d.candidateCorrect(), d.recallDeltaPoints());
        }
        out.printf(Locale.ROOT, "%sonly the baseline right: %d, only the candidate right: %d%n", indent,
                c.test().baselineOnly(), c.test().candidateOnly());
        out.printf(Locale.ROOT, "%sMcNemar exact p = %.4g (two-sided)%n", indent, c.test().pValue());
        out.printf(Locale.ROOT, "%sverdict: the candidate is %s (alpha %s)%n", indent, c.verdict().text(),
                plain(c.alpha()));
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String accuracy(int correct, int images) {
        if (images == 0) {
            return "no images";
        }
        AccuracyInterval ci = AccuracyInterval.wilson(correct, images);
        return String.format(Locale.ROOT, "%.1f %% (%d of %d, 95 %% CI %.1f-%.1f %%)", 100.0 * correct / images,
                correct, images, 100 * ci.low(), 100 * ci.high());
    }
}

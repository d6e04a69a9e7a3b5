package io.edgeloop.trainer.gate;

import io.edgeloop.trainer.compare.PairedComparison;
import io.edgeloop.trainer.compare.Verdict;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * When a candidate is refused against a baseline on the same images: when McNemar's test finds it worse at
 * {@code alpha}, or, with {@code maxDropPoints}, when its accuracy is more than that many points below the
 * baseline's even if the test cannot tell (small gate sets rarely reach significance).
 *
 * @param alpha         significance level, 0 &lt; alpha &lt;= 0.5
 * @param maxDropPoints largest accepted accuracy drop in percentage points, &gt;= 0; empty: only significance counts
 */
public record GateRule(double alpha, OptionalDouble maxDropPoints) {

    /** Refuses only a significantly worse candidate at the usual level, 0.05. */
    public static final GateRule DEFAULT = new GateRule(0.05, OptionalDouble.empty());

    public GateRule {
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("--alpha is " + alpha + ", allowed 0 < alpha <= 0.5 (e.g. 0.05)");
        }
        maxDropPoints.ifPresent(p -> {
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("--max-drop is " + p + ", allowed 0 to 100 accuracy points");
            }
        });
    }

    /** Why {@code c} refuses its candidate, or empty when the candidate passes. */
    public Optional<String> refusal(PairedComparison c) {
        if (c.verdict() == Verdict.WORSE) {
            return Optional.of(String.format(Locale.ROOT, "significantly worse (McNemar p = %.3g < alpha %s)",
                    c.test().pValue(), plain(alpha)));
        }
        double drop = c.images() == 0 ? 0 : 100.0 * (c.baselineCorrect() - c.candidateCorrect()) / c.images();
        if (maxDropPoints.isPresent() && drop > maxDropPoints.getAsDouble()) {
            return Optional.of(String.format(Locale.ROOT, "%.1f accuracy points lower, more than --max-drop %s",
                    drop, plain(maxDropPoints.getAsDouble())));
        }
        return Optional.empty();
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

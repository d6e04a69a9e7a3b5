package io.edgeloop.trainer.job;

import io.edgeloop.trainer.compare.PairedComparison;
import java.util.Objects;

/**
 * What {@link CompareJob} found.
 *
 * @param baseline   the baseline's evaluation
 * @param candidate  the candidate's evaluation on the same images
 * @param comparison paired figures, McNemar's test and the verdict for the candidate
 */
public record CompareResult(EvaluateResult baseline, EvaluateResult candidate, PairedComparison comparison) {

    public CompareResult {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(comparison, "comparison");
    }
}

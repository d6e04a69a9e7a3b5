package io.edgeloop.trainer.train;

import io.edgeloop.trainer.model.FineTuneStrategy;

/**
 * The strategy a run used and why (for the report and the model card).
 *
 * @param requested       what was asked for (possibly AUTO)
 * @param chosen          what runs (never AUTO)
 * @param medianPerClass  median training images per class
 * @param reason          one sentence, e.g. "auto: median 12 training images per class in 1..200 → partial
 *                        fine-tuning"
 */
public record StrategyDecision(FineTuneStrategy requested, FineTuneStrategy chosen, double medianPerClass,
                               String reason) {

    public StrategyDecision {
        if (chosen == FineTuneStrategy.AUTO) {
            throw new IllegalArgumentException("chosen strategy is AUTO, allowed HEAD, PARTIAL, FULL, SCRATCH");
        }
    }
}

package io.edgeloop.trainer.train;

import java.util.Objects;
import java.util.Optional;

/**
 * The best epoch so far and how many epochs followed it without improvement: what best-weights keeps and early
 * stopping counts, decided in one place so they agree ("better" is {@link ValidationMetric#betterThan}).
 *
 * @param metric                   the best epoch's validation metric; {@link ValidationMetric#NONE} before the first
 *                                 epoch and without validation images
 * @param epoch                    the best epoch; 0 = none yet
 * @param epochsWithoutImprovement epochs since the best one
 */
public record BestEpoch(ValidationMetric metric, int epoch, int epochsWithoutImprovement) {

    /** Before the first epoch. */
    public static final BestEpoch NONE = new BestEpoch(ValidationMetric.NONE, 0, 0);

    public BestEpoch {
        Objects.requireNonNull(metric, "metric");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch is " + epoch + ", allowed >= 0 (0 = none yet)");
        }
        if (epochsWithoutImprovement < 0) {
            throw new IllegalArgumentException("epochsWithoutImprovement is " + epochsWithoutImprovement
                    + ", allowed >= 0");
        }
    }

    /**
     * The best epoch once {@code epoch} ended: {@code epoch} itself when its validation improved on this one, or
     * when there was nothing to validate on (then the latest weights are the ones to keep).
     *
     * @param validation the epoch's validation metric; empty without validation images
     */
    public BestEpoch after(int epoch, Optional<ValidationMetric> validation) {
        if (validation.isEmpty() || validation.get().betterThan(metric)) {
            return new BestEpoch(validation.orElse(ValidationMetric.NONE), epoch, 0);
        }
        return new BestEpoch(metric, this.epoch, epochsWithoutImprovement + 1);
    }
}

package io.edgeloop.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a run stands after its last completed epoch: with the parameters and the optimiser state, what continues
 * it exactly (the checkpoint holds both). Immutable; the loop replaces it after every epoch.
 *
 * @param epochsCompleted epochs finished, those before a resume included
 * @param globalStep      optimiser steps taken
 * @param best            the best epoch so far
 * @param history         the figures of every completed epoch
 */
public record TrainingProgress(int epochsCompleted, long globalStep, BestEpoch best, List<EpochMetrics> history) {

    /** A fresh run. */
    public static final TrainingProgress START = new TrainingProgress(0, 0, BestEpoch.NONE, List.of());

    public TrainingProgress {
        Objects.requireNonNull(best, "best");
        history = List.copyOf(history);
    }

    /** The progress once {@code epoch} ended after {@code globalStep} steps in all. */
    TrainingProgress after(EpochMetrics epoch, long globalStep, BestEpoch best) {
        List<EpochMetrics> longer = new ArrayList<>(history);
        longer.add(epoch);
        return new TrainingProgress(epoch.epoch(), globalStep, best, longer);
    }

    /** Where the run of a checkpoint stood. */
    static TrainingProgress of(CheckpointState s) {
        ValidationMetric metric = s.bestEpoch() == 0 ? ValidationMetric.NONE
                : new ValidationMetric(s.bestAccuracy(), s.bestLoss());
        BestEpoch best = new BestEpoch(metric, s.bestEpoch(), s.epochsWithoutImprovement());
        return new TrainingProgress(s.epochsCompleted(), s.globalStep(), best, s.history());
    }

    /** The checkpoint state of this progress in the given run. */
    CheckpointState checkpointState(TrainingContext run) {
        return new CheckpointState(epochsCompleted, globalStep, run.config().seed(), run.decision().chosen().name(),
                run.data().labels(), run.data().fingerprint(), best.epoch(), best.metric().accuracy(),
                best.metric().loss(), best.epochsWithoutImprovement(), history);
    }
}

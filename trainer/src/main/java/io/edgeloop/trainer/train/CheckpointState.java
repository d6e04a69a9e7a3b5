package io.edgeloop.trainer.train;

import java.util.List;

/**
 * Where a run stands after an epoch: enough to continue it exactly (with the parameters and optimiser state stored
 * beside it in the checkpoint file).
 *
 * @param epochsCompleted          epochs finished
 * @param globalStep               optimiser steps taken
 * @param seed                     the run's seed (split, shuffles and augmentation derive from it and the epoch)
 * @param strategy                 the strategy that runs (never AUTO)
 * @param labels                   class names
 * @param datasetFingerprint       the data it was trained on
 * @param bestEpoch                epoch of the best validation metric so far (0 = none)
 * @param bestAccuracy             its validation accuracy
 * @param bestLoss                 its validation loss
 * @param epochsWithoutImprovement for early stopping
 * @param history                  metrics of every completed epoch
 */
public record CheckpointState(int epochsCompleted, long globalStep, long seed, String strategy, List<String> labels,
                              String datasetFingerprint, int bestEpoch, double bestAccuracy, double bestLoss,
                              int epochsWithoutImprovement, List<EpochMetrics> history) {

    public CheckpointState {
        labels = List.copyOf(labels);
        history = List.copyOf(history);
    }
}

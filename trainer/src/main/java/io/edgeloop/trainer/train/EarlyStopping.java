package io.edgeloop.trainer.train;

import java.util.Optional;

/**
 * Ends a run after {@code patience} epochs in a row without validation improvement (as DJL's
 * {@code EarlyStoppingListener}), counted by {@link BestEpoch}; never after the last epoch (the run ends there
 * anyway, and it would not have stopped early), never without validation images, never with patience 0.
 */
final class EarlyStopping implements TrainingListener {

    private final int patience;
    private final int epochs;

    /**
     * @param patience epochs without improvement before stopping; 0 = never stop
     * @param epochs   epochs of the whole run
     */
    EarlyStopping(int patience, int epochs) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience is " + patience + ", allowed >= 0 (0 = never stop)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", allowed >= 1");
        }
        this.patience = patience;
        this.epochs = epochs;
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation) {
        BestEpoch best = run.progress().best();
        if (patience > 0 && validation.isPresent() && best.epochsWithoutImprovement() >= patience
                && metrics.epoch() < epochs) {
            run.requestStop("no validation improvement for " + patience + " epochs (best: epoch " + best.epoch()
                    + ")");
        }
    }
}

package io.edgeloop.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link TrainingRun} for listener tests: a settable progress, no context, and the stop requests it got. */
final class StubRun implements TrainingRun {

    TrainingProgress progress = TrainingProgress.START;
    final List<String> stopRequests = new ArrayList<>();

    @Override
    public TrainingContext context() {
        throw new UnsupportedOperationException("a StubRun has no context");
    }

    @Override
    public TrainingProgress progress() {
        return progress;
    }

    @Override
    public void requestStop(String reason) {
        stopRequests.add(reason);
    }

    /**
     * Moves the progress on by one epoch with this validation accuracy and loss (empty: no validation images),
     * as the loop does, and returns the epoch's figures.
     */
    EpochMetrics endEpoch(Optional<ValidationMetric> validation) {
        int epoch = progress.epochsCompleted() + 1;
        BestEpoch best = progress.best().after(epoch, validation);
        EpochMetrics m = new EpochMetrics(epoch, 1.0, 0.5, validation.map(ValidationMetric::loss).orElse(Double.NaN),
                validation.map(ValidationMetric::accuracy).orElse(Double.NaN), 1e-3, 0.1, 100, false,
                best.epoch() == epoch);
        progress = progress.after(m, progress.globalStep() + 3, best);
        return m;
    }
}

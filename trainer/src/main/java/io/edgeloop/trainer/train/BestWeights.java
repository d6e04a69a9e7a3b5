package io.edgeloop.trainer.train;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-memory copy of the best epoch's parameters ({@link BestEpoch}: accuracy, ties by loss) and puts it
 * back into the network when the run ended on a later epoch, before any later listener's {@code onTrainingEnd}
 * sees the network. The copy also goes into every checkpoint ({@link CheckpointListener}, which runs after this
 * listener), so a resumed run can still restore it.
 */
final class BestWeights implements TrainingListener {

    /** The run's log lines stay under the logger they always had, which users filter and configure. */
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    private final NetworkParameters parameters;
    private byte[] best;

    /**
     * @param resumed the best parameters a resumed run's checkpoint holds; empty for a fresh run
     */
    BestWeights(NetworkParameters parameters, Optional<byte[]> resumed) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.best = resumed.orElse(null);
    }

    /** The best epoch's parameters so far (serialised, not copied: do not modify); empty before the first epoch. */
    Optional<byte[]> parameters() {
        return Optional.ofNullable(best);
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation)
            throws IOException {
        if (metrics.improved()) {
            best = parameters.snapshot();
        }
    }

    @Override
    public void onTrainingEnd(TrainingRun run) throws IOException {
        TrainingProgress progress = run.progress();
        if (best != null && progress.best().epoch() != progress.epochsCompleted()) {
            parameters.restore(best);
            LOG.info("restored the best weights (epoch {})", progress.best().epoch());
        }
    }
}

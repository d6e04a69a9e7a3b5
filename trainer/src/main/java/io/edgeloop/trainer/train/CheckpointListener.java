package io.edgeloop.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Rewrites {@code checkpoint.bin} ({@link Checkpoint}) after every epoch: the run's progress, the parameters, the
 * optimiser state and the best parameters that {@link BestWeights} keeps, which therefore runs before this
 * listener. It also runs before the metrics log, so an epoch's line in {@code metrics.jsonl} means its checkpoint
 * is on disk. {@link Resume} reads the file back.
 */
final class CheckpointListener implements TrainingListener {

    private final Path outDir;
    private final BestWeights best;

    CheckpointListener(Path outDir, BestWeights best) {
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.best = Objects.requireNonNull(best, "best");
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation)
            throws IOException {
        TrainingContext context = run.context();
        Checkpoint.save(outDir, run.progress().checkpointState(context), context.network().block(),
                context.optimizer(), best.parameters().orElse(null));
    }
}

package io.edgeloop.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continues a run from the checkpoint in its output folder: reads the parameters and the optimiser state back,
 * checks that the checkpoint belongs to this run (labels, strategy, seed, training data) and says where the run
 * stood. The counterpart of {@link CheckpointListener}.
 */
final class Resume {

    /** The run's log lines stay under the logger they always had, which users filter and configure. */
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /**
     * Where a run starts.
     *
     * @param progress       where it stood
     * @param bestParameters the best epoch's parameters it kept; empty for a fresh run
     */
    record Point(TrainingProgress progress, Optional<byte[]> bestParameters) {

        /** A fresh run. */
        static final Point FRESH = new Point(TrainingProgress.START, Optional.empty());
    }

    private Resume() {
    }

    /**
     * Loads {@code outDir/checkpoint.bin} into the network and the optimiser of {@code run}.
     *
     * @throws IllegalArgumentException naming the file and what differs when the checkpoint is of another run
     */
    static Point from(Path outDir, TrainingContext run) throws IOException {
        Path file = outDir.resolve(Checkpoint.FILE_NAME);
        Checkpoint.Loaded loaded = run.parameters().loadCheckpoint(file, run.optimizer(), run.trainable());
        CheckpointState s = loaded.state();
        if (!s.labels().equals(run.data().labels())) {
            throw new IllegalArgumentException("cannot resume from " + file + ": it was trained on labels "
                    + s.labels() + ", the data has " + run.data().labels());
        }
        if (!s.strategy().equals(run.decision().chosen().name())) {
            throw new IllegalArgumentException("cannot resume from " + file + ": it was trained with strategy "
                    + s.strategy() + ", this run uses " + run.decision().chosen());
        }
        if (s.seed() != run.config().seed()) {
            throw new IllegalArgumentException("cannot resume from " + file + ": it was trained with seed "
                    + s.seed() + " (which fixes the split and the augmentation), this run uses "
                    + run.config().seed());
        }
        if (!s.datasetFingerprint().equals(run.data().fingerprint())) {
            throw new IllegalArgumentException("cannot resume from " + file + ": the training data changed"
                    + " (fingerprint " + s.datasetFingerprint() + " then, " + run.data().fingerprint() + " now)");
        }
        TrainingProgress progress = TrainingProgress.of(s);
        LOG.info("resuming {} after epoch {} (step {})", outDir, progress.epochsCompleted(), progress.globalStep());
        return new Point(progress, Optional.ofNullable(loaded.bestParameters()));
    }
}

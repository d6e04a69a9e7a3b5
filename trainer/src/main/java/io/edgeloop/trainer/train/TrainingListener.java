package io.edgeloop.trainer.train;

import java.io.IOException;
import java.util.Optional;

/**
 * Hooks into the training loop, in the spirit of DJL's {@code ai.djl.training.listener.TrainingListener}: what a run
 * does besides training (best weights, early stopping, checkpoints, the metrics log, progress) is a listener, so
 * the next concern is another listener rather than more loop. Every hook runs on the training thread; the loop
 * calls the listeners in their order ({@link FineTuner} documents its built-in order and where added listeners go).
 *
 * <p>Lifecycle: {@link #onTrainingBegin} once; per epoch {@link #onEpochBegin}, {@link #onStep} after each
 * optimiser step, {@link #onEpochEnd} after validation; {@link #onTrainingEnd} once after the last epoch when the
 * run succeeds. {@link #close} follows on every path, also when training fails or is interrupted, in reverse
 * order: release there what {@code onTrainingBegin} opened.
 *
 * <p>A listener ends a run early with {@link TrainingRun#requestStop}. It contributes to the result through
 * accessors of its own, read after the run by whoever built it ({@link FineTuner} does so for its built-in ones).
 * An exception from a hook ends the run with that exception.
 */
public interface TrainingListener extends AutoCloseable {

    /** The run starts (a resumed run: after its checkpoint was read; {@link TrainingRun#progress} says where). */
    default void onTrainingBegin(TrainingRun run) throws IOException {
    }

    /** An epoch's training starts (after the feature cache, if any, is ready). */
    default void onEpochBegin(TrainingRun run, EpochPlan plan) {
    }

    /** A training step ended with its optimiser update. */
    default void onStep(TrainingRun run, StepMetrics step) {
    }

    /**
     * An epoch and its validation ended; {@link TrainingRun#progress} includes it.
     *
     * @param validation the epoch's weights on the validation images; empty without validation images
     */
    default void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation)
            throws IOException {
    }

    /** The last epoch ended (or a stop was requested); not called when training fails. */
    default void onTrainingEnd(TrainingRun run) throws IOException {
    }

    /** Releases what the listener holds; called once per run on every path. */
    @Override
    default void close() throws IOException {
    }
}

package io.edgeloop.trainer.train;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Several listeners as one: each hook goes to every listener in order; {@link #close} closes them in reverse order,
 * every one even when some fail (the first failure is thrown, later ones are suppressed into it).
 */
final class ListenerChain implements TrainingListener {

    private final List<TrainingListener> listeners;

    ListenerChain(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onTrainingBegin(TrainingRun run) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onTrainingBegin(run);
        }
    }

    @Override
    public void onEpochBegin(TrainingRun run, EpochPlan plan) {
        for (TrainingListener listener : listeners) {
            listener.onEpochBegin(run, plan);
        }
    }

    @Override
    public void onStep(TrainingRun run, StepMetrics step) {
        for (TrainingListener listener : listeners) {
            listener.onStep(run, step);
        }
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation)
            throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onEpochEnd(run, metrics, validation);
        }
    }

    @Override
    public void onTrainingEnd(TrainingRun run) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onTrainingEnd(run);
        }
    }

    @Override
    public void close() throws IOException {
        Exception failure = null;
        for (int i = listeners.size() - 1; i >= 0; i--) {
            try {
                listeners.get(i).close();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }
}

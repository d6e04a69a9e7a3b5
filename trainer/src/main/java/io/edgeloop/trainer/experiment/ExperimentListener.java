package io.edgeloop.trainer.experiment;

/** Progress of an experiment (logs, console). Called on the experiment's thread. */
public interface ExperimentListener {

    /** Does nothing. */
    ExperimentListener NONE = new ExperimentListener() {
    };

    /** Run {@code index} (1-based) of {@code total} starts; {@code key} names its grid cell. */
    default void runStarted(String key, int index, int total) {
    }

    /** A run was already in the results file and is skipped. */
    default void runSkipped(RunResult existing) {
    }

    /** A run finished and was recorded. */
    default void runFinished(RunResult result, int index, int total) {
    }
}

package io.edgeloop.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes {@code metrics.jsonl} ({@link MetricsLog}): a line per epoch and, with {@code everySteps} &gt; 0, a line
 * every that many optimiser steps of the run. Opens the file when training begins (a resumed run appends) and
 * closes it on every path.
 */
final class MetricsLogListener implements TrainingListener {

    private final Path outDir;
    private final boolean append;
    private final int everySteps;
    private MetricsLog log;

    /**
     * @param append     continue the file of the run being resumed; otherwise start it anew
     * @param everySteps global steps between step lines; 0 = epoch lines only
     */
    MetricsLogListener(Path outDir, boolean append, int everySteps) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("everySteps is " + everySteps + ", allowed >= 0 (0 = never)");
        }
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.append = append;
        this.everySteps = everySteps;
    }

    @Override
    public void onTrainingBegin(TrainingRun run) throws IOException {
        log = new MetricsLog(outDir, append);
    }

    @Override
    public void onStep(TrainingRun run, StepMetrics step) {
        if (everySteps > 0 && step.globalStep() % everySteps == 0) {
            open().step(step.epoch(), step.globalStep(), step.loss(), step.accuracy(), step.learningRate());
        }
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation) {
        open().epoch(metrics);
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            MetricsLog open = log;
            log = null;
            open.close();
        }
    }

    private MetricsLog open() {
        if (log == null) {
            throw new IllegalStateException(MetricsLog.FILE_NAME + " in " + outDir
                    + " is not open: onTrainingBegin opens it");
        }
        return log;
    }
}

package io.edgeloop.trainer.train;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link FitListener} (the CLI's progress bar, a command's epoch printer) how the run goes, and logs one
 * line per epoch. Runs after the checkpoint and the metrics log, so what it reports for an epoch is on disk.
 */
final class ProgressListener implements TrainingListener {

    /** The run's log lines stay under the logger they always had, which users filter and configure. */
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    private final FitListener listener;

    ProgressListener(FitListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void onEpochBegin(TrainingRun run, EpochPlan plan) {
        listener.epochStarted(plan.epoch(), plan.epochs(), plan.steps(), plan.images());
    }

    @Override
    public void onStep(TrainingRun run, StepMetrics step) {
        listener.stepFinished(step.epoch(), step.step(), step.images(), step.loss(), step.accuracy(),
                step.imagesPerSecond());
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics m, Optional<Evaluation> validation) {
        listener.epochFinished(m);
        LOG.info("epoch {}/{}: train loss {} acc {}, val loss {} acc {}, {} s", m.epoch(),
                run.context().config().epochs(), f(m.trainLoss()), f(m.trainAccuracy()), f(m.valLoss()),
                f(m.valAccuracy()), f(m.seconds()));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

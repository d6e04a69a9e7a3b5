package io.edgeloop.trainer.train;

/**
 * A run in progress as its {@link TrainingListener}s see it (DJL's listeners get the {@code Trainer}): the fixed
 * context, where the run stands, and a way to end it. Confined to the training thread.
 */
public interface TrainingRun {

    /** What the run works with. */
    TrainingContext context();

    /**
     * Where the run stands. In {@code onEpochEnd} and {@code onTrainingEnd}: including the epoch that just ended;
     * in {@code onEpochBegin} and {@code onStep}: as of the last completed epoch (the step's own figures are in
     * {@link StepMetrics}).
     */
    TrainingProgress progress();

    /**
     * Asks the loop to end the run when the current epoch ends (after every listener's {@code onEpochEnd}); the run
     * then counts as stopped early, unless that epoch was the last one anyway. The first request's reason is kept.
     *
     * @param reason why, for the log: "no validation improvement for 3 epochs (best: epoch 4)"
     */
    void requestStop(String reason);
}

package io.edgeloop.trainer.train;

/**
 * The base learning rate at each step: linear warmup over {@code warmupEpochs} (from base/warmupSteps up to
 * base), then cosine decay to 0 or step decay. A pure function of the step, so a resumed run continues exactly.
 */
public final class LearningRateSchedule {

    private final FitConfig config;
    private final int stepsPerEpoch;

    public LearningRateSchedule(FitConfig config, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch is " + stepsPerEpoch + ", allowed >= 1");
        }
        this.config = config;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** Learning rate of the step with 0-based global index {@code step}. */
    public double rate(long step) {
        double base = config.learningRate();
        long warmup = (long) config.warmupEpochs() * stepsPerEpoch;
        if (step < warmup) {
            return base * (step + 1) / warmup;
        }
        long total = (long) config.epochs() * stepsPerEpoch;
        return switch (config.schedule()) {
            case COSINE -> {
                double progress = (double) (step - warmup) / Math.max(1, total - warmup);
                yield base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
            }
            case STEP -> base * Math.pow(config.stepGamma(), (step / stepsPerEpoch) / config.stepEpochs());
        };
    }
}

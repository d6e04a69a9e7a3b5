package io.edgeloop.trainer.train;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.Objects;

/**
 * Everything that shapes a training run, validated on construction; errors name the field, the bad value and
 * what is allowed. Build with {@link #builder()} (defaults below) or the canonical constructor.
 *
 * @param strategy         what trains (AUTO is resolved by {@link StrategyChooser} before the loop runs)
 * @param epochs           number of passes over the training images, 1..100000
 * @param batchSize        images per step, 1..4096
 * @param imageSize        network input side in pixels, 8..4096
 * @param learningRate     base (head) learning rate, finite, &gt; 0 and &lt;= 10
 * @param backboneLrFactor backbone learning rate = factor × base, for FULL and PARTIAL; (0, 1]
 * @param optimiser        AdamW or SGD
 * @param momentum         SGD momentum [0, 1); ignored by AdamW
 * @param nesterov         SGD Nesterov momentum (needs momentum &gt; 0)
 * @param weightDecay      decoupled (AdamW) or L2 (SGD) weight decay [0, 1]
 * @param schedule         cosine or step decay after warmup
 * @param stepEpochs       STEP: epochs between decays, &gt;= 1
 * @param stepGamma        STEP: decay factor (0, 1]
 * @param warmupEpochs     linear warmup from ~0 to the base rate, 0..epochs-1
 * @param labelSmoothing   [0, 1)
 * @param patience         early stopping: epochs without validation improvement before stopping; 0 = never stop
 * @param seed             seed of split, shuffles, augmentation and head initialisation
 * @param freezeFraction   PARTIAL: fraction of backbone weight layers frozen, in graph order, [0, 1]
 * @param augment          random augmentation of training images; off = eval transform
 * @param device           cpu or gpu
 * @param imbalance        class-imbalance handling
 * @param featureCache     HEAD without augmentation: compute backbone features once and train the head on them
 * @param logEverySteps    also write a metrics line every N steps; 0 = one line per epoch only
 */
public record FitConfig(
        FineTuneStrategy strategy,
        int epochs,
        int batchSize,
        int imageSize,
        double learningRate,
        double backboneLrFactor,
        OptimiserKind optimiser,
        double momentum,
        boolean nesterov,
        double weightDecay,
        ScheduleKind schedule,
        int stepEpochs,
        double stepGamma,
        int warmupEpochs,
        double labelSmoothing,
        int patience,
        long seed,
        double freezeFraction,
        boolean augment,
        DeviceKind device,
        ImbalanceHandling imbalance,
        boolean featureCache,
        int logEverySteps) {

    public FitConfig {
        Objects.requireNonNull(strategy, "strategy must be one of HEAD, PARTIAL, FULL, AUTO, SCRATCH");
        Objects.requireNonNull(optimiser, "optimiser must be one of ADAMW, SGD");
        Objects.requireNonNull(schedule, "schedule must be one of COSINE, STEP");
        Objects.requireNonNull(device, "device must be one of CPU, GPU");
        Objects.requireNonNull(imbalance, "imbalance must be one of NONE, CLASS_WEIGHTS, BALANCED_SAMPLER");
        Checks.range("epochs", epochs, 1, 100_000);
        Checks.range("batchSize", batchSize, 1, 4096);
        Checks.range("imageSize", imageSize, 8, 4096);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("learningRate is " + learningRate + ", allowed 0 < lr <= 10");
        }
        if (!(backboneLrFactor > 0 && backboneLrFactor <= 1)) {
            throw new IllegalArgumentException(
                    "backboneLrFactor is " + backboneLrFactor + ", allowed 0 < factor <= 1");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum is " + momentum + ", allowed 0 <= momentum < 1");
        }
        if (nesterov && optimiser == OptimiserKind.SGD && momentum == 0) {
            throw new IllegalArgumentException("nesterov is true with momentum 0, allowed only with momentum > 0");
        }
        if (!(weightDecay >= 0 && weightDecay <= 1)) {
            throw new IllegalArgumentException("weightDecay is " + weightDecay + ", allowed 0..1");
        }
        Checks.range("stepEpochs", stepEpochs, 1, 100_000);
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw new IllegalArgumentException("stepGamma is " + stepGamma + ", allowed 0 < gamma <= 1");
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new IllegalArgumentException("warmupEpochs is " + warmupEpochs + ", allowed 0.." + (epochs - 1)
                    + " (less than epochs = " + epochs + ")");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing is " + labelSmoothing + ", allowed 0 <= s < 1");
        }
        Checks.range("patience", patience, 0, 100_000);
        if (!(freezeFraction >= 0 && freezeFraction <= 1)) {
            throw new IllegalArgumentException("freezeFraction is " + freezeFraction + ", allowed 0..1");
        }
        Checks.range("logEverySteps", logEverySteps, 0, 1_000_000);
    }

    /** A builder with the defaults: AUTO, 10 epochs, batch 32, 224 px, AdamW lr 1e-3, cosine, 1 warmup epoch. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.strategy = strategy;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.imageSize = imageSize;
        b.learningRate = learningRate;
        b.backboneLrFactor = backboneLrFactor;
        b.optimiser = optimiser;
        b.momentum = momentum;
        b.nesterov = nesterov;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.stepEpochs = stepEpochs;
        b.stepGamma = stepGamma;
        b.warmupEpochs = warmupEpochs;
        b.labelSmoothing = labelSmoothing;
        b.patience = patience;
        b.seed = seed;
        b.freezeFraction = freezeFraction;
        b.augment = augment;
        b.device = device;
        b.imbalance = imbalance;
        b.featureCache = featureCache;
        b.logEverySteps = logEverySteps;
        return b;
    }


    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private FineTuneStrategy strategy = FineTuneStrategy.AUTO;
        private int epochs = 10;
        private int batchSize = 32;
        private int imageSize = 224;
        private double learningRate = 1e-3;
        private double backboneLrFactor = 0.1;
        private OptimiserKind optimiser = OptimiserKind.ADAMW;
        private double momentum = 0.9;
        private boolean nesterov;
        private double weightDecay = 1e-4;
        private ScheduleKind schedule = ScheduleKind.COSINE;
        private int stepEpochs = 5;
        private double stepGamma = 0.1;
        private int warmupEpochs = 1;
        private double labelSmoothing = 0.1;
        private int patience = 5;
        private long seed = 42;
        private double freezeFraction = 0.5;
        private boolean augment = true;
        private DeviceKind device = DeviceKind.CPU;
        private ImbalanceHandling imbalance = ImbalanceHandling.CLASS_WEIGHTS;
        private boolean featureCache = true;
        private int logEverySteps;

        private Builder() {
        }

        public Builder strategy(FineTuneStrategy v) { strategy = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder backboneLrFactor(double v) { backboneLrFactor = v; return this; }
        public Builder optimiser(OptimiserKind v) { optimiser = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder schedule(ScheduleKind v) { schedule = v; return this; }
        public Builder stepEpochs(int v) { stepEpochs = v; return this; }
        public Builder stepGamma(double v) { stepGamma = v; return this; }
        public Builder warmupEpochs(int v) { warmupEpochs = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder freezeFraction(double v) { freezeFraction = v; return this; }
        public Builder augment(boolean v) { augment = v; return this; }
        public Builder device(DeviceKind v) { device = v; return this; }
        public Builder imbalance(ImbalanceHandling v) { imbalance = v; return this; }
        public Builder featureCache(boolean v) { featureCache = v; return this; }
        public Builder logEverySteps(int v) { logEverySteps = v; return this; }

        public FitConfig build() {
            return new FitConfig(strategy, epochs, batchSize, imageSize, learningRate, backboneLrFactor, optimiser,
                    momentum, nesterov, weightDecay, schedule, stepEpochs, stepGamma, warmupEpochs, labelSmoothing,
                    patience, seed, freezeFraction, augment, device, imbalance, featureCache, logEverySteps);
        }
    }
}

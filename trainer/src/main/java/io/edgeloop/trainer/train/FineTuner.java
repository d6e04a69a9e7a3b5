package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.ClassBalance;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a network: applies the strategy, sets up the run ({@link TrainingContext}) and hands it to the
 * training loop, which trains with per-group learning rates and validates each epoch. With HEAD and no
 * augmentation the frozen backbone's features are computed once and the head trains on them. Everything else is a
 * {@link TrainingListener}, called in this order:
 * <ol>
 *   <li>best weights: keeps the best epoch's parameters (accuracy, ties by loss) and restores them at the end;</li>
 *   <li>early stopping after {@code patience} epochs without improvement;</li>
 *   <li>the checkpoint, rewritten after every epoch with the best weights in it (hence after 1), from which an
 *       interrupted run continues ({@code resume});</li>
 *   <li>the metrics log {@code metrics.jsonl}, after the checkpoint, so a logged epoch is a saved one;</li>
 *   <li>progress: the {@link FitListener} and a log line per epoch;</li>
 *   <li>then the listeners added with {@link Builder#addTrainingListener}, in the order added.</li>
 * </ol>
 *
 * <p>Build with {@code new FineTuner(config, outDir, listener[, devices])}, or with
 * {@code FineTuner.builder(config, outDir).optFitListener(..).optDevices(..).addTrainingListener(..).build()}.
 *
 * <p>Memory: every step's arrays live in a per-batch sub-manager of the run's manager.
 *
 * <p>Devices: by default the run uses the one device the network's parameters are on. Given several
 * {@link TrainingDevices}, each training step is data-parallel ({@link DataParallelStep}): the primary (first)
 * device keeps the parameters, the optimiser state, the feature cache, validation and the checkpoints.
 */
public final class FineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /** Largest feature cache held in memory; above it the backbone runs every epoch. */
    public static final long FEATURE_CACHE_MAX_BYTES = 2L << 30;
    /** Highest-confidence mistakes kept in the final evaluation. */
    public static final int WORST_MISTAKES = 12;

    private final FitConfig config;
    private final Path outDir;
    private final FitListener listener;
    /** Empty: the single device the network is on. */
    private final Optional<TrainingDevices> devices;
    private final List<TrainingListener> added;

    /**
     * Trains on the device the network's parameters are on.
     *
     * @param outDir   receives {@code checkpoint.bin} and {@code metrics.jsonl}; created when missing
     * @param listener progress callbacks
     */
    public FineTuner(FitConfig config, Path outDir, FitListener listener) {
        this(builder(config, outDir).optFitListener(listener));
    }

    /**
     * Trains on the given devices; the network's parameters must be on the first (the primary). With more than one
     * device every training step is split over them ({@link DataParallelStep}).
     */
    public FineTuner(FitConfig config, Path outDir, FitListener listener, TrainingDevices devices) {
        this(builder(config, outDir).optFitListener(listener).optDevices(devices));
    }

    private FineTuner(Builder builder) {
        this.config = builder.config;
        this.outDir = builder.outDir;
        this.listener = builder.listener;
        this.devices = builder.devices;
        this.added = List.copyOf(builder.added);
    }

    /**
     * A builder for a run with this configuration that writes into {@code outDir} (its checkpoint and
     * {@code metrics.jsonl}; created when missing).
     */
    public static Builder builder(FitConfig config, Path outDir) {
        return new Builder(config, outDir);
    }

    /**
     * Trains the network on the dataset.
     *
     * @param manager the manager the network lives in; per-step arrays go in its sub-managers
     * @param pool    image decoding threads
     * @param resume  continue from {@code outDir/checkpoint.bin} (which must exist); without it an existing
     *                checkpoint is an error, so a finished run is never overwritten by accident
     * @throws NonFiniteLossException when the loss diverges
     * @throws CancellationException  when the thread is interrupted (the last checkpoint stays)
     */
    public FitResult fit(ClassifierNetwork network, Dataset data, NDManager manager, ExecutorService pool,
                         boolean resume) throws IOException {
        long started = System.nanoTime();
        checkAgreement(network, data);
        checkOutputFolder(resume);
        StrategyDecision decision = StrategyChooser.choose(config.strategy(), data.trainCounts());
        LOG.info("strategy: {}", decision.reason());
        network.applyStrategy(decision.chosen(), config.freezeFraction());
        List<TrainableParameter> trainable = TrainableParameters.select(network, decision.chosen(),
                config.backboneLrFactor());
        TrainableParameters.syncGradientFlags(network);
        if (trainable.isEmpty()) {
            throw new IllegalStateException("strategy " + decision.chosen() + " left no trainable parameter");
        }
        Device device = primaryDevice(trainable);
        boolean dataParallel = devices.isPresent() && devices.get().dataParallel();
        ClassificationLoss loss = new ClassificationLoss(data.numClasses(), config.labelSmoothing(),
                config.imbalance() == ImbalanceHandling.CLASS_WEIGHTS
                        ? Optional.of(ClassBalance.inverseFrequencyWeights(data.trainCounts()))
                        : Optional.empty());
        BatchLoader loader = new BatchLoader(data.store(), data.config().augmentation(), pool);
        int stepsPerEpoch = (data.train().size() + config.batchSize() - 1) / config.batchSize();
        LearningRateSchedule schedule = new LearningRateSchedule(config, stepsPerEpoch);

        try (GroupedOptimizer optimizer = new GroupedOptimizer(config, manager);
             FeatureCache features = FeatureCache.wanted(config, decision.chosen(), network)
                     ? new FeatureCache(manager) : null;
             DataParallelStep parallel = dataParallel
                     ? new DataParallelStep(devices.get(), trainable, manager) : null) {
            TrainingContext context = new TrainingContext(config, decision, network, data, loader, loss, optimizer,
                    schedule, trainable, device, new NetworkParameters(network, manager));
            Resume.Point start = resume ? Resume.from(outDir, context) : Resume.Point.FRESH;
            TrainingLoop.Outcome outcome = new TrainingLoop(context, Optional.ofNullable(features),
                    Optional.ofNullable(parallel), listeners(context, start, resume)).run(start.progress());
            TrainingProgress end = outcome.progress();
            // the kept weights, on images (not cached features), with the worst mistakes for the report and the
            // logits for calibration
            Optional<Evaluator.Scored> scored = data.validation().isEmpty() ? Optional.empty()
                    : Optional.of(Evaluator.evaluateWithScores(network, context.parameters().store(), data.labels(),
                            data.validation(), loader, config.batchSize(), WORST_MISTAKES, device));
            return new FitResult(config, decision, data.labels(), data.train().size(), data.validation().size(),
                    data.skipped(), data.fingerprint(), end.history(), end.best().epoch(),
                    outcome.stopReason().isPresent(), start.progress().epochsCompleted(),
                    scored.map(Evaluator.Scored::evaluation), features != null && features.ready(),
                    (System.nanoTime() - started) / 1e9, scored.map(Evaluator.Scored::scores),
                    Arrays.stream(data.trainCounts()).boxed().toList());
        }
    }

    /** The built-in listeners in the order the class comment gives, then the added ones. */
    private List<TrainingListener> listeners(TrainingContext context, Resume.Point start, boolean resume) {
        BestWeights best = new BestWeights(context.parameters(), start.bestParameters());
        List<TrainingListener> all = new ArrayList<>(List.of(best,
                new EarlyStopping(config.patience(), config.epochs()),
                new CheckpointListener(outDir, best),
                new MetricsLogListener(outDir, resume, config.logEverySteps()),
                new ProgressListener(listener)));
        all.addAll(added);
        return all;
    }

    private void checkAgreement(ClassifierNetwork network, Dataset data) {
        if (network.numClasses() != data.numClasses()) {
            throw new IllegalArgumentException("network has " + network.numClasses() + " classes, the data has "
                    + data.numClasses() + " " + data.labels());
        }
        if (network.imageSize() != data.config().spec().cropSize() || network.imageSize() != config.imageSize()) {
            throw new IllegalArgumentException("the network takes " + network.imageSize() + "x" + network.imageSize()
                    + " images, the data is preprocessed to " + data.config().spec().cropSize() + " and imageSize is "
                    + config.imageSize() + "; all three must agree");
        }
        if (config.augment() != data.config().augment()) {
            throw new IllegalArgumentException("augment is " + config.augment() + " in the fit configuration but "
                    + data.config().augment() + " in the data configuration; they must agree");
        }
    }

    /** Creates the output folder; a checkpoint must be there to resume and must not be there otherwise. */
    private void checkOutputFolder(boolean resume) throws IOException {
        Files.createDirectories(outDir);
        Path checkpointFile = outDir.resolve(Checkpoint.FILE_NAME);
        if (resume && !Files.exists(checkpointFile)) {
            throw new IllegalArgumentException("--resume given but " + checkpointFile + " does not exist");
        }
        if (!resume && Files.exists(checkpointFile)) {
            throw new IllegalArgumentException("output folder " + outDir + " already holds a run ("
                    + Checkpoint.FILE_NAME + "); use --resume to continue it or choose another output folder");
        }
    }

    /** The device the trainable parameters are on, which must be the primary training device if one was given. */
    private Device primaryDevice(List<TrainableParameter> trainable) {
        Device device = trainable.get(0).parameter().getArray().getDevice();
        if (devices.isPresent() && !devices.get().primary().equals(device)) {
            throw new IllegalArgumentException("the network's parameters are on " + device
                    + " but the primary training device is " + devices.get().primary()
                    + "; load the network on the primary device");
        }
        if (devices.isPresent() && devices.get().dataParallel()) {
            LOG.info("data-parallel training on {} devices {} (primary {})", devices.get().size(),
                    devices.get().devices(), device);
        }
        return device;
    }

    /**
     * Settings of a {@link FineTuner}: the configuration and the output folder are required (given to
     * {@link #builder}); the rest is optional ({@code opt*}, {@code add*}, as DJL's builders).
     */
    public static final class Builder {
        private final FitConfig config;
        private final Path outDir;
        private FitListener listener = FitListener.NONE;
        private Optional<TrainingDevices> devices = Optional.empty();
        private final List<TrainingListener> added = new ArrayList<>();

        private Builder(FitConfig config, Path outDir) {
            this.config = Objects.requireNonNull(config, "config");
            this.outDir = Objects.requireNonNull(outDir, "outDir");
        }

        /** Progress callbacks (progress bars, logs); {@link FitListener#NONE} by default. */
        public Builder optFitListener(FitListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The devices to train on; the network's parameters must be on the first (the primary). By default the one
         * device the parameters are on.
         */
        public Builder optDevices(TrainingDevices devices) {
            this.devices = Optional.of(Objects.requireNonNull(devices, "devices"));
            return this;
        }

        /**
         * A listener called after the built-in ones, in the order added, for every {@code fit} of the built
         * fine-tuner (so one with state serves one fit).
         */
        public Builder addTrainingListener(TrainingListener listener) {
            added.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public FineTuner build() {
            return new FineTuner(this);
        }
    }
}

package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.ClassBalance;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: applies the strategy, trains with per-group learning rates, validates each epoch, keeps the
 * best weights (accuracy, ties by loss), stops early, writes a checkpoint and a metrics line per epoch, continues
 * an interrupted run from its checkpoint, and restores the best weights at the end. With HEAD and no augmentation
 * the frozen backbone's features are computed once and the head trains on them.
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

    /**
     * Trains on the device the network's parameters are on.
     *
     * @param outDir   receives {@code checkpoint.bin} and {@code metrics.jsonl}; created when missing
     * @param listener progress callbacks
     */
    public FineTuner(FitConfig config, Path outDir, FitListener listener) {
        this(config, outDir, listener, Optional.empty());
    }

    /**
     * Trains on the given devices; the network's parameters must be on the first (the primary). With more than one
     * device every training step is split over them ({@link DataParallelStep}).
     */
    public FineTuner(FitConfig config, Path outDir, FitListener listener, TrainingDevices devices) {
        this(config, outDir, listener, Optional.of(Objects.requireNonNull(devices, "devices")));
    }

    private FineTuner(FitConfig config, Path outDir, FitListener listener, Optional<TrainingDevices> devices) {
        this.config = Objects.requireNonNull(config, "config");
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.devices = devices;
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
        Files.createDirectories(outDir);
        Path checkpointFile = outDir.resolve(Checkpoint.FILE_NAME);
        if (resume && !Files.exists(checkpointFile)) {
            throw new IllegalArgumentException("--resume given but " + checkpointFile + " does not exist");
        }
        if (!resume && Files.exists(checkpointFile)) {
            throw new IllegalArgumentException("output folder " + outDir + " already holds a run ("
                    + Checkpoint.FILE_NAME + "); use --resume to continue it or choose another output folder");
        }
        StrategyDecision decision = StrategyChooser.choose(config.strategy(), data.trainCounts());
        LOG.info("strategy: {}", decision.reason());
        network.applyStrategy(decision.chosen(), config.freezeFraction());
        List<TrainableParameter> trainable = TrainableParameters.select(network, decision.chosen(),
                config.backboneLrFactor());
        TrainableParameters.syncGradientFlags(network);
        if (trainable.isEmpty()) {
            throw new IllegalStateException("strategy " + decision.chosen() + " left no trainable parameter");
        }
        Device device = trainable.get(0).parameter().getArray().getDevice();
        if (devices.isPresent() && !devices.get().primary().equals(device)) {
            throw new IllegalArgumentException("the network's parameters are on " + device
                    + " but the primary training device is " + devices.get().primary()
                    + "; load the network on the primary device");
        }
        boolean dataParallel = devices.isPresent() && devices.get().dataParallel();
        if (dataParallel) {
            LOG.info("data-parallel training on {} devices {} (primary {})", devices.get().size(),
                    devices.get().devices(), device);
        }
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
            RunState run = new RunState();
            if (resume) {
                Checkpoint.Loaded loaded = Checkpoint.load(checkpointFile, network.block(), manager, optimizer,
                        trainable);
                TrainableParameters.syncGradientFlags(network);
                run.restore(loaded, checkpointFile, decision, data, config);
                LOG.info("resuming {} after epoch {} (step {})", outDir, run.epochsCompleted, run.globalStep);
            }
            // a ParameterStore caches each parameter's array: create it only after the checkpoint replaced them
            ParameterStore store = new ParameterStore(manager, false);
            int resumedAfter = run.epochsCompleted;
            boolean stoppedEarly = false;
            try (MetricsLog metrics = new MetricsLog(outDir, resume)) {
                for (int epoch = run.epochsCompleted + 1; epoch <= config.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    boolean cached = features != null && features.ensure(network, store, loader, data, config);
                    double[] trainFigures = trainEpoch(network, store, data, loader, loss, optimizer, schedule,
                            trainable, features, cached, epoch, run, metrics, device, parallel);
                    Evaluation val = validate(network, store, data, loader, features, cached, 0, device);
                    ValidationMetric metric = val == null ? null : new ValidationMetric(val.accuracy(), val.loss());
                    boolean improved = metric == null || metric.betterThan(run.best);
                    if (improved) {
                        run.best = metric == null ? ValidationMetric.NONE : metric;
                        run.bestEpoch = epoch;
                        run.bestParameters = Checkpoint.parameterBytes(network.block());
                        run.epochsWithoutImprovement = 0;
                    } else {
                        run.epochsWithoutImprovement++;
                    }
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    EpochMetrics m = new EpochMetrics(epoch, trainFigures[0], trainFigures[1],
                            val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                            schedule.rate(Math.max(0, run.globalStep - 1)), seconds, trainFigures[2], cached,
                            improved);
                    run.history.add(m);
                    run.epochsCompleted = epoch;
                    Checkpoint.save(outDir, run.state(config, decision, data), network.block(), optimizer,
                            run.bestParameters);
                    metrics.epoch(m);
                    listener.epochFinished(m);
                    LOG.info("epoch {}/{}: train loss {} acc {}, val loss {} acc {}, {} s", epoch, config.epochs(),
                            f(m.trainLoss()), f(m.trainAccuracy()), f(m.valLoss()), f(m.valAccuracy()),
                            f(seconds));
                    if (config.patience() > 0 && val != null
                            && run.epochsWithoutImprovement >= config.patience() && epoch < config.epochs()) {
                        LOG.info("early stop after epoch {}: no validation improvement for {} epochs (best: epoch {})",
                                epoch, config.patience(), run.bestEpoch);
                        stoppedEarly = true;
                        break;
                    }
                }
            }
            if (run.bestParameters != null && run.bestEpoch != run.epochsCompleted) {
                Checkpoint.loadParameterBytes(network.block(), manager, run.bestParameters);
                TrainableParameters.syncGradientFlags(network);
                store = new ParameterStore(manager, false);
                LOG.info("restored the best weights (epoch {})", run.bestEpoch);
            }
            Optional<Evaluation> evaluation = data.validation().isEmpty() ? Optional.empty()
                    : Optional.of(validate(network, store, data, loader, null, false, WORST_MISTAKES, device));
            return new FitResult(config, decision, data.labels(), data.train().size(), data.validation().size(),
                    data.skipped(), data.fingerprint(), run.history, run.bestEpoch, stoppedEarly, resumedAfter,
                    evaluation, features != null && features.ready(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** Returns {mean loss, accuracy, images/s}. */
    private double[] trainEpoch(ClassifierNetwork network, ParameterStore store, Dataset data, BatchLoader loader,
                                ClassificationLoss loss, GroupedOptimizer optimizer, LearningRateSchedule schedule,
                                List<TrainableParameter> trainable, FeatureCache features, boolean cached, int epoch,
                                RunState run, MetricsLog metrics, Device device, DataParallelStep parallel) {
        List<ImageSample> samples = data.train();
        int[] order = config.imbalance() == ImbalanceHandling.BALANCED_SAMPLER
                ? ClassBalance.balancedOrder(samples, data.numClasses(), config.seed(), epoch)
                : ClassBalance.shuffledOrder(samples.size(), config.seed(), epoch);
        int steps = (order.length + config.batchSize() - 1) / config.batchSize();
        listener.epochStarted(epoch, config.epochs(), steps, order.length);
        double lossSum = 0;
        int correct = 0;
        int seen = 0;
        long start = System.nanoTime();
        BatchLoader.BatchStream stream = cached ? null
                : loader.stream(samples, order, config.batchSize(), config.augment(), config.seed(), epoch);
        // training-mode logits: the head alone on cached features, else the whole network on images
        DataParallelStep.Forward forward = cached
                ? (s, x) -> network.forwardHead(s, new NDList(x), true).singletonOrThrow()
                : (s, x) -> network.block().forward(s, new NDList(x), true).singletonOrThrow();
        try {
            for (int step = 1; step <= steps; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("training interrupted in epoch " + epoch + " step " + step
                            + "; the checkpoint of epoch " + (epoch - 1) + " is kept (continue with --resume)");
                }
                double lr = schedule.rate(run.globalStep);
                int from = (step - 1) * config.batchSize();
                int n = Math.min(config.batchSize(), order.length - from);
                try (NDManager batchManager = store.getManager().newSubManager(device)) {
                    NDArray input;
                    int[] labels;
                    if (cached) {
                        int[] rows = java.util.Arrays.copyOfRange(order, from, from + n);
                        input = features.trainRows(rows, batchManager);
                        labels = new int[n];
                        for (int i = 0; i < n; i++) {
                            labels[i] = samples.get(rows[i]).label();
                        }
                    } else {
                        Batch batch = stream.next();
                        input = batch.images(batchManager);
                        labels = batch.labels();
                    }
                    float lossValue;
                    float[] logits;
                    if (parallel == null) {
                        NDArray labelArray = batchManager.create(labels);
                        try (GradientCollector collector = manager(store).getEngine().newGradientCollector()) {
                            NDArray out = forward.logits(store, input);
                            NDArray l = loss.compute(out, labelArray);
                            lossValue = l.getFloat();
                            if (!Float.isFinite(lossValue)) {
                                throw nonFinite(lossValue, epoch, step, lr);
                            }
                            collector.backward(l);
                            logits = out.toFloatArray();
                        }
                    } else {
                        DataParallelStep.Result result = parallel.forwardBackward(store, input, labels, loss, forward);
                        lossValue = result.loss();
                        if (!Float.isFinite(lossValue)) {
                            throw nonFinite(lossValue, epoch, step, lr); // before the optimiser step: no update
                        }
                        logits = result.logits();
                    }
                    optimizer.step(trainable, lr);
                    run.globalStep++;
                    correct += countCorrect(logits, labels, data.numClasses());
                    lossSum += lossValue * n;
                    seen += n;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                listener.stepFinished(epoch, step, seen, lossSum / seen, (double) correct / seen, seen / elapsed);
                if (config.logEverySteps() > 0 && run.globalStep % config.logEverySteps() == 0) {
                    metrics.step(epoch, run.globalStep, lossSum / seen, (double) correct / seen, lr);
                }
            }
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {lossSum / seen, (double) correct / seen, seen / Math.max(elapsed, 1e-9)};
    }

    /** Evaluates the validation images; null when there are none. */
    private Evaluation validate(ClassifierNetwork network, ParameterStore store, Dataset data, BatchLoader loader,
                                FeatureCache features, boolean cached, int worst, Device device) {
        if (data.validation().isEmpty()) {
            return null;
        }
        if (cached) {
            return features.evaluateValidation(network, store, data, config.batchSize(), device);
        }
        return Evaluator.evaluate(network, store, data.labels(), data.validation(), loader, config.batchSize(),
                worst, device);
    }

    private static NonFiniteLossException nonFinite(float lossValue, int epoch, int step, double lr) {
        return new NonFiniteLossException("loss became " + lossValue + " at epoch " + epoch + " step " + step
                + "; lower the learning rate (now " + f(lr) + ", --lr) or check the images of this batch");
    }

    private static NDManager manager(ParameterStore store) {
        return store.getManager();
    }

    static int countCorrect(float[] logits, int[] labels, int k) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (logits[i * k + c] > logits[i * k + best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return correct;
    }

    private static String f(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** Mutable progress of one run (confined to the training thread). */
    private static final class RunState {
        int epochsCompleted;
        long globalStep;
        ValidationMetric best = ValidationMetric.NONE;
        int bestEpoch;
        byte[] bestParameters;
        int epochsWithoutImprovement;
        final List<EpochMetrics> history = new ArrayList<>();

        void restore(Checkpoint.Loaded loaded, Path file, StrategyDecision decision, Dataset data,
                     FitConfig config) {
            CheckpointState s = loaded.state();
            if (!s.labels().equals(data.labels())) {
                throw new IllegalArgumentException("cannot resume from " + file + ": it was trained on labels "
                        + s.labels() + ", the data has " + data.labels());
            }
            if (!s.strategy().equals(decision.chosen().name())) {
                throw new IllegalArgumentException("cannot resume from " + file + ": it was trained with strategy "
                        + s.strategy() + ", this run uses " + decision.chosen());
            }
            if (s.seed() != config.seed()) {
                throw new IllegalArgumentException("cannot resume from " + file + ": it was trained with seed "
                        + s.seed() + " (which fixes the split and the augmentation), this run uses " + config.seed());
            }
            if (!s.datasetFingerprint().equals(data.fingerprint())) {
                throw new IllegalArgumentException("cannot resume from " + file + ": the training data changed"
                        + " (fingerprint " + s.datasetFingerprint() + " then, " + data.fingerprint() + " now)");
            }
            epochsCompleted = s.epochsCompleted();
            globalStep = s.globalStep();
            bestEpoch = s.bestEpoch();
            best = s.bestEpoch() == 0 ? ValidationMetric.NONE : new ValidationMetric(s.bestAccuracy(), s.bestLoss());
            epochsWithoutImprovement = s.epochsWithoutImprovement();
            bestParameters = loaded.bestParameters();
            history.addAll(s.history());
        }

        CheckpointState state(FitConfig config, StrategyDecision decision, Dataset data) {
            return new CheckpointState(epochsCompleted, globalStep, config.seed(), decision.chosen().name(),
                    data.labels(), data.fingerprint(), bestEpoch, best.accuracy(), best.loss(),
                    epochsWithoutImprovement, history);
        }
    }
}

package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.ClassBalance;
import io.edgeloop.trainer.data.ImageSample;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs of one run and nothing else: per epoch the feature cache (when the run has one), the shuffled
 * training steps, each in a per-batch sub-manager, the validation, the epoch's figures and the run's new
 * {@link TrainingProgress}. The listeners hear of every stage and may end the run early; best weights, early
 * stopping, checkpoints, the metrics log and progress reports are listeners. Confined to the calling thread.
 */
final class TrainingLoop {

    /** The run's log lines stay under the logger they always had, which users filter and configure. */
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /**
     * How a run ended.
     *
     * @param progress   where it stood after its last epoch
     * @param stopReason why a listener ended it before its last epoch; empty when it ran all epochs
     */
    record Outcome(TrainingProgress progress, Optional<String> stopReason) {
    }

    /** One epoch's training figures and the step count after it. */
    private record EpochTraining(double loss, double accuracy, double imagesPerSecond, long globalStep) {
    }

    private final TrainingContext context;
    private final Optional<FeatureCache> features;
    private final Optional<DataParallelStep> parallel;
    private final List<TrainingListener> listeners;

    /**
     * @param features  the frozen backbone's feature cache, when the run wants one
     * @param parallel  the data-parallel step, with more than one device
     * @param listeners called in this order
     */
    TrainingLoop(TrainingContext context, Optional<FeatureCache> features, Optional<DataParallelStep> parallel,
                 List<TrainingListener> listeners) {
        this.context = Objects.requireNonNull(context, "context");
        this.features = features;
        this.parallel = parallel;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Trains the epochs after {@code start.epochsCompleted()}; the listeners are closed on every path.
     *
     * @throws NonFiniteLossException when the loss diverges
     * @throws CancellationException  when the thread is interrupted during an epoch
     */
    Outcome run(TrainingProgress start) throws IOException {
        Run run = new Run(context, start);
        int epochs = context.config().epochs();
        Optional<String> stoppedBy = Optional.empty();
        try (ListenerChain chain = new ListenerChain(listeners)) {
            chain.onTrainingBegin(run);
            for (int epoch = start.epochsCompleted() + 1; epoch <= epochs; epoch++) {
                runEpoch(run, chain, epoch);
                if (run.stopReason != null && epoch < epochs) {
                    LOG.info("early stop after epoch {}: {}", epoch, run.stopReason);
                    stoppedBy = Optional.of(run.stopReason);
                    break;
                }
            }
            chain.onTrainingEnd(run);
        }
        return new Outcome(run.progress, stoppedBy);
    }

    private void runEpoch(Run run, ListenerChain chain, int epoch) throws IOException {
        long start = System.nanoTime();
        boolean cached = features.isPresent() && features.get().ensure(context.network(),
                context.parameters().store(), context.loader(), context.data(), context.config());
        EpochTraining training = train(run, chain, epoch, cached);
        Optional<Evaluation> validation = validate(cached);
        BestEpoch best = run.progress.best().after(epoch,
                validation.map(v -> new ValidationMetric(v.accuracy(), v.loss())));
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochMetrics metrics = new EpochMetrics(epoch, training.loss(), training.accuracy(),
                validation.map(Evaluation::loss).orElse(Double.NaN),
                validation.map(Evaluation::accuracy).orElse(Double.NaN),
                context.schedule().rate(Math.max(0, training.globalStep() - 1)), seconds,
                training.imagesPerSecond(), cached, best.epoch() == epoch);
        run.progress = run.progress.after(metrics, training.globalStep(), best);
        chain.onEpochEnd(run, metrics, validation);
    }

    private EpochTraining train(Run run, ListenerChain chain, int epoch, boolean cached) {
        FitConfig config = context.config();
        List<ImageSample> samples = context.data().train();
        int[] order = config.imbalance() == ImbalanceHandling.BALANCED_SAMPLER
                ? ClassBalance.balancedOrder(samples, context.data().numClasses(), config.seed(), epoch)
                : ClassBalance.shuffledOrder(samples.size(), config.seed(), epoch);
        int steps = (order.length + config.batchSize() - 1) / config.batchSize();
        chain.onEpochBegin(run, new EpochPlan(epoch, config.epochs(), steps, order.length));
        TrainingStep trainingStep = new TrainingStep(context, parallel, cached);
        long globalStep = run.progress.globalStep();
        double lossSum = 0;
        int correct = 0;
        int seen = 0;
        long start = System.nanoTime();
        try (BatchLoader.BatchStream stream = cached ? null : context.loader().stream(samples, order,
                config.batchSize(), config.augment(), config.seed(), epoch)) {
            for (int step = 1; step <= steps; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("training interrupted in epoch " + epoch + " step " + step
                            + "; the checkpoint of epoch " + (epoch - 1) + " is kept (continue with --resume)");
                }
                double lr = context.schedule().rate(globalStep);
                int from = (step - 1) * config.batchSize();
                int n = Math.min(config.batchSize(), order.length - from);
                try (NDManager batchManager = context.parameters().manager().newSubManager(context.device())) {
                    NDArray input;
                    int[] labels;
                    if (cached) {
                        int[] rows = Arrays.copyOfRange(order, from, from + n);
                        input = features.get().trainRows(rows, batchManager);
                        labels = new int[n];
                        for (int i = 0; i < n; i++) {
                            labels[i] = samples.get(rows[i]).label();
                        }
                    } else {
                        Batch batch = stream.next();
                        input = batch.images(batchManager);
                        labels = batch.labels();
                    }
                    TrainingStep.Result result = trainingStep.run(input, labels, lr, epoch, step);
                    globalStep++;
                    correct += countCorrect(result.logits(), labels, context.data().numClasses());
                    lossSum += result.loss() * n;
                    seen += n;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                chain.onStep(run, new StepMetrics(epoch, step, globalStep, seen, lossSum / seen,
                        (double) correct / seen, seen / elapsed, lr));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new EpochTraining(lossSum / seen, (double) correct / seen, seen / Math.max(elapsed, 1e-9),
                globalStep);
    }

    /** The epoch's weights on the validation images (their cached features when the head trains on those). */
    private Optional<Evaluation> validate(boolean cached) {
        if (context.data().validation().isEmpty()) {
            return Optional.empty();
        }
        if (cached) {
            return Optional.of(features.get().evaluateValidation(context.network(), context.parameters().store(),
                    context.data(), context.config().batchSize(), context.device()));
        }
        return Optional.of(Evaluator.evaluate(context.network(), context.parameters().store(),
                context.data().labels(), context.data().validation(), context.loader(), context.config().batchSize(),
                0, context.device()));
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

    /** The run as the listeners see it; its progress moves on after every epoch. */
    private static final class Run implements TrainingRun {
        private final TrainingContext context;
        private TrainingProgress progress;
        private String stopReason;

        Run(TrainingContext context, TrainingProgress start) {
            this.context = context;
            this.progress = Objects.requireNonNull(start, "start");
        }

        @Override
        public TrainingContext context() {
            return context;
        }

        @Override
        public TrainingProgress progress() {
            return progress;
        }

        @Override
        public void requestStop(String reason) {
            Objects.requireNonNull(reason, "reason");
            if (stopReason == null) {
                stopReason = reason;
            }
        }
    }
}

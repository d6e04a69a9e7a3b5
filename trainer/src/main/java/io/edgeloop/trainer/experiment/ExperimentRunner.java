package io.edgeloop.trainer.experiment;

import ai.djl.Device;
import io.edgeloop.protocol.files.Trees;
import io.edgeloop.trainer.train.TrainingDevices;
import java.util.Objects;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetFingerprint;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.data.ImageStore;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.Evaluator;
import io.edgeloop.trainer.train.FineTuner;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.ImbalanceHandling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Runs the experiment grid: for every seed, size and strategy (in that nesting), imports the base model with a new
 * head (seeded by the run seed), fine-tunes it on the seed's subset with the shared fixed validation set
 * (best-validation weights kept, early stopping), and measures the kept weights on the whole test set. Runs
 * already in {@code results.csv} are skipped, so the experiment continues where it was interrupted.
 *
 * <p>All runs share one {@link ImageStore}: every image is decoded once per experiment, not once per run. No
 * augmentation (28×28 sources; the comparison is between strategies, not augmentation policies); balanced
 * subsets, so no class weighting.
 */
public final class ExperimentRunner {

    /** Images per step when evaluating the test set (inference only). */
    static final int TEST_BATCH = 250;

    private final ExperimentConfig config;
    private final PreprocessSpec spec;
    private final ExperimentListener listener;
    private final TrainingDevices devices;

    /**
     * @param spec the base model's preprocessing (from its model card)
     */
    public ExperimentRunner(ExperimentConfig config, PreprocessSpec spec, ExperimentListener listener) {
        this(config, spec, listener, TrainingDevices.single(Device.cpu()));
    }

    /** Runs every fine-tune on {@code devices}: the first holds the weights, several split each step. */
    public ExperimentRunner(ExperimentConfig config, PreprocessSpec spec, ExperimentListener listener,
                            TrainingDevices devices) {
        this.config = Objects.requireNonNull(config, "config");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    /** Runs the missing runs and returns every recorded result (earlier ones included), in grid order. */
    public List<RunResult> run(Path workDir, ExecutorService pool) throws IOException {
        ImageFolder trainFolder = ImageFolder.scan(config.trainDir());
        List<String> labels = trainFolder.labels();
        ImageFolder testFolder = ImageFolder.scanValidation(config.testDir(), labels);
        TargetSplit split = TargetSplit.of(trainFolder, config.validationPerClass(),
                ExperimentConfig.VALIDATION_SPLIT_SEED);
        ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), spec, DataConfig.DEFAULT_CACHE_BYTES);
        BatchLoader testLoader = new BatchLoader(store, Augmentation.DEFAULT, pool);
        ResultsFile resultsFile = new ResultsFile(config.outDir());
        List<RunResult> results = new ArrayList<>(resultsFile.read());
        Set<String> done = new HashSet<>();
        results.forEach(r -> done.add(r.key()));
        int total = config.runCount();
        int index = 0;
        // seeds outermost: an experiment stopped early has every size and strategy at its first seeds
        for (long seed : config.seeds()) {
            for (SizePlan size : config.sizes()) {
                List<ImageSample> subset = split.subset(size.perClass(), seed);
                String fingerprint = null;
                for (FineTuneStrategy strategy : config.strategies()) {
                    index++;
                    String key = RunResult.key(size.perClass(), strategy, seed);
                    if (done.contains(key)) {
                        results.stream().filter(r -> r.key().equals(key)).findFirst().ifPresent(listener::runSkipped);
                        continue;
                    }
                    listener.runStarted(key, index, total);
                    if (fingerprint == null) {
                        fingerprint = fingerprint(subset, split, labels);
                    }
                    DataConfig dataConfig = DataConfig.of(config.trainDir(), spec, seed, false).withThreads(2);
                    Dataset data = new Dataset(labels, subset, split.validation(), List.of(), fingerprint, store,
                            dataConfig);
                    RunResult measured = runOne(size, strategy, seed, data, testFolder.samples(), testLoader,
                            workDir.resolve("runs").resolve(key.replace('/', '-')), pool);
                    // what the file holds (rounded), so a continued experiment returns the same figures
                    RunResult result = RunResult.fromCsv(measured.toCsv());
                    resultsFile.append(result);
                    results.add(result);
                    done.add(key);
                    listener.runFinished(result, index, total);
                }
            }
        }
        return results;
    }

    /** The training configuration of one run. */
    public FitConfig fitConfig(SizePlan size, FineTuneStrategy strategy, long seed) {
        return FitConfig.builder().strategy(strategy).epochs(size.epochs()).batchSize(config.batchSize())
                .imageSize(spec.cropSize()).learningRate(config.learningRate())
                .backboneLrFactor(config.backboneLrFactor()).freezeFraction(config.freezeFraction())
                .warmupEpochs(0).patience(config.patience()).seed(seed).augment(false)
                .imbalance(ImbalanceHandling.NONE).build();
    }

    private RunResult runOne(SizePlan size, FineTuneStrategy strategy, long seed, Dataset data,
                             List<ImageSample> test, BatchLoader testLoader, Path runDir, ExecutorService pool)
            throws IOException {
        Trees.delete(runDir);
        try (NDManager manager = NDManager.newBaseManager(devices.primary());
             OnnxClassifierNetwork net = OnnxImporter.load(config.baseModel(),
                     HeadSpec.auto(data.numClasses(), seed), manager)) {
            FitResult fit = new FineTuner(fitConfig(size, strategy, seed), runDir, FitListener.NONE, devices)
                    .fit(net, data, manager, pool, false);
            Device device = manager.getDevice();
            Evaluation testEval = Evaluator.evaluate(net, new ParameterStore(manager, false), data.labels(), test,
                    testLoader, TEST_BATCH, 0, device);
            double valAccuracy = fit.evaluation().map(Evaluation::accuracy).orElse(Double.NaN);
            return new RunResult(size.perClass(), strategy, seed, fit.trainImages(), testEval.accuracy(),
                    testEval.macroF1(), valAccuracy, fit.bestEpoch(), fit.history().size(), fit.seconds());
        }
    }

    private static String fingerprint(List<ImageSample> subset, TargetSplit split, List<String> labels)
            throws IOException {
        List<DatasetFingerprint.Entry> entries = new ArrayList<>();
        subset.forEach(s -> entries.add(new DatasetFingerprint.Entry("train", s, labels.get(s.label()))));
        split.validation().forEach(s -> entries.add(new DatasetFingerprint.Entry("val", s, labels.get(s.label()))));
        return DatasetFingerprint.of(entries);
    }
}

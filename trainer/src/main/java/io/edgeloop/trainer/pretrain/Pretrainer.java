package io.edgeloop.trainer.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;
import io.edgeloop.trainer.export.ExportVerifier;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FineTuner;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.ImbalanceHandling;
import io.edgeloop.trainer.train.TrainingDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Trains a freshly initialised network on the Fashion-MNIST source task and writes it as the base model package.
 *
 * <p>The whole graph trains at one learning rate from the architecture's seeded torchvision-style initialisation
 * (strategy FULL with backbone factor 1; the importer replaces the classifier by a seeded head of six classes).
 * The images are 28×28 greyscale, replicated to three channels, resized EXACTLY to the input size (no crop), and
 * normalised with the mean and standard deviation of the source training pixels; the same
 * {@link PreprocessSpec} goes into the card, so the device preprocesses exactly as training did. No augmentation.
 *
 * <p>Validation: the source task's test images (the only held-out data the brief allows for); with the cosine
 * schedule the last epoch is normally the best one, and the result says which epoch was kept.
 */
public final class Pretrainer {

    /** Name of the base model in its card. */
    public static final String MODEL_NAME = "edgeloop-fmnist-base";

    private final PretrainConfig config;
    private final FitListener listener;
    private final TrainingDevices devices;

    /** Trains on the CPU. */
    public Pretrainer(PretrainConfig config, FitListener listener) {
        this(config, listener, TrainingDevices.single(Device.cpu()));
    }

    /** Trains on {@code devices}: the first holds the weights, several split each step (data-parallel). */
    public Pretrainer(PretrainConfig config, FitListener listener, TrainingDevices devices) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    /** The base model's preprocessing: exact resize to the input size, the source pixels' mean/std. */
    public static PreprocessSpec preprocessing(int imageSize, PixelStatistics pixels) {
        return new PreprocessSpec(ResizePolicy.EXACT, imageSize, imageSize,
                List.of(pixels.mean(), pixels.mean(), pixels.mean()),
                List.of(pixels.std(), pixels.std(), pixels.std()), 1.0 / 255.0, ColourOrder.RGB);
    }

    /** The training configuration the pretraining uses. */
    public FitConfig fitConfig() {
        return FitConfig.builder().strategy(FineTuneStrategy.FULL).backboneLrFactor(1.0).epochs(config.epochs())
                .batchSize(config.batchSize()).imageSize(config.imageSize()).learningRate(config.learningRate())
                .warmupEpochs(0).patience(0).seed(config.seed()).augment(false)
                .imbalance(ImbalanceHandling.NONE).labelSmoothing(0.0).weightDecay(1e-4).build();
    }

    /**
     * Runs the pretraining.
     *
     * @param resume continue the run whose checkpoint is in the work folder (e.g. after an interruption)
     * @param command the command line, recorded in the card's notes
     */
    public PretrainResult run(ExecutorService pool, boolean resume, String command)
            throws IOException, InterruptedException, ModelPackageException {
        Files.createDirectories(config.workDir());
        FashionMnist train = FashionMnist.load(config.idxDir(), FashionMnistSplit.TRAIN);
        FashionMnist test = FashionMnist.load(config.idxDir(), FashionMnistSplit.TEST);
        Path trainDir = FashionMnistFolders.ensure(train, FashionMnistTask.SOURCE, config.workDir());
        Path testDir = FashionMnistFolders.ensure(test, FashionMnistTask.SOURCE, config.workDir());
        PixelStatistics pixels = PixelStatistics.of(train, FashionMnistTask.SOURCE);
        PreprocessSpec spec = preprocessing(config.imageSize(), pixels);
        Dataset data = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                .load(DataConfig.of(trainDir, spec, config.seed(), false).withValidationDir(testDir)
                        .withThreads(2), pool);
        ArchSpec arch = config.archSpec(data.numClasses());
        OnnxMl.ModelProto graph = ArchitectureOnnx.build(arch);
        Path runDir = config.workDir().resolve("pretrain-" + arch.architecture().cliName() + "-w" + arch.width()
                + "-s" + arch.imageSize() + "-seed" + arch.seed() + "-e" + config.epochs());
        try (NDManager manager = NDManager.newBaseManager(devices.primary());
             OnnxClassifierNetwork net = OnnxImporter.load(graph, HeadSpec.auto(data.numClasses(), config.seed()),
                     manager)) {
            FitResult fit = new FineTuner(fitConfig(), runDir, listener, devices).fit(net, data, manager, pool,
                    resume);
            Evaluation evaluation = fit.evaluation().orElseThrow(
                    () -> new IllegalStateException("no source test images were evaluated in " + testDir));
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            ExportVerifier.Result check = ExportVerifier.requirePassing(exported, net, config.seed(), "base model");
            ModelCard card = BaseModelCard.of(MODEL_NAME, arch, spec, data, fit, evaluation, pixels, command);
            card = card.toBuilder().optNotes(withNote(card.notes(), "export_check", check.toString())).build();
            Files.createDirectories(config.outDir());
            ModelPackage.write(exported, card, config.modelFile());
            return new PretrainResult(config.modelFile(), fit, evaluation, pixels);
        }
    }

    private static Map<String, String> withNote(Map<String, String> notes, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(notes);
        copy.put(key, value);
        return copy;
    }
}

package io.edgeloop.trainer.job;

import ai.djl.ndarray.NDManager;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.report.HtmlReport;
import io.edgeloop.trainer.report.MetricsJson;
import io.edgeloop.trainer.report.RunSummary;
import io.edgeloop.trainer.train.FineTuner;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.warning.RunWarning;
import io.edgeloop.trainer.warning.WarningListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fine-tunes a pretrained base on an ImageFolder: base → new head → dataset (preprocessed as the base expects) →
 * training with the request's strategy → calibration on the validation logits (temperature, reliability before and
 * after, per-class thresholds for the request's target precision) → {@code report.html} and {@code metrics.json} →
 * model package (exported, checked against ONNX Runtime, with its model card carrying the calibration). The report
 * is written even when the export fails, so a failed run still shows what it trained. Before training it checks
 * the base and a sample of the images (random weights, grey versus colour, input size), after it the validation
 * set's size; these warnings go to the listener as soon as they are known and into the report and the result, and
 * never stop the run.
 */
public final class FineTuneJob {

    private final TrainerServices services;
    private final Clock clock;

    public FineTuneJob(TrainerServices services) {
        this(services, Clock.systemUTC());
    }

    /** With the clock that dates default versions (for tests). */
    public FineTuneJob(TrainerServices services, Clock clock) {
        this.services = Objects.requireNonNull(services, "services");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the request.
     *
     * @param progress training progress callbacks (a progress bar); {@link FitListener#NONE} for none
     */
    public FineTuneResult run(FineTuneRequest request, FitListener progress) throws IOException,
            InterruptedException, ModelPackageException {
        return run(request, progress, WarningListener.NONE);
    }

    /**
     * Runs the request, telling {@code warnings} each warning as soon as it is known (the base and data ones before
     * training starts).
     *
     * @param progress training progress callbacks (a progress bar); {@link FitListener#NONE} for none
     */
    public FineTuneResult run(FineTuneRequest request, FitListener progress, WarningListener warnings)
            throws IOException, InterruptedException, ModelPackageException {
        ImageFolder folder = ImageFolder.scan(request.data());
        List<String> labels = folder.labels();
        QuietEngine.start();
        long seed = request.training().seed();
        String name = request.name().orElseGet(() -> ModelNames.defaultName(request.base(), request.data()));
        String version = request.version().orElseGet(() -> ModelNames.defaultVersion(clock));
        try (DecodePool pool = DecodePool.open(request.threads());
             NDManager manager = NDManager.newBaseManager(request.devices().primary());
             LoadedNetwork loaded = new LoadedNetwork(services.networkLoader().load(request.base(),
                     new HeadSpec(labels.size(), request.cutAt().orElse(null), seed, request.headPool()), manager))) {
            ClassifierNetwork network = loaded.network();
            if (request.imageSize().isPresent() && request.imageSize().getAsInt() != network.imageSize()) {
                throw new IllegalArgumentException("--image-size is " + request.imageSize().getAsInt() + " but "
                        + request.base() + " takes " + network.imageSize() + "x" + network.imageSize() + " images");
            }
            FitConfig config = request.training().toBuilder().imageSize(network.imageSize()).build();
            PreprocessSpec preprocessing = BasePreprocessing.of(request.base(), network.imageSize(),
                    request.preprocessing());
            DataConfig dataConfig = new DataConfig(request.data(), request.validation(), request.validationFraction(),
                    seed, config.augment(), request.augmentation(), preprocessing, request.cacheBytes(),
                    request.threads());
            List<RunWarning> found = new ArrayList<>(RunChecks.beforeTraining(request.base(), folder,
                    network.imageSize(), config.strategy()));
            found.forEach(warnings::warned);
            Dataset dataset = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT)).load(dataConfig,
                    pool.executor());
            Files.createDirectories(request.outDir());
            FitResult fit = new FineTuner(config, request.outDir(), progress, request.devices())
                    .fit(trainable(network, request), dataset, manager, pool.executor(), request.resume());
            RunChecks.afterTraining(fit).ifPresent(w -> {
                found.add(w);
                warnings.warned(w);
            });
            Optional<Calibration> calibration = fit.validationScores()
                    .map(scores -> request.calibrator().calibrate(scores, labels));
            Optional<Path> model = Optional.empty();
            try {
                if (services.exporter().isPresent()) {
                    model = Optional.of(services.exporter().get().export(network, request.base(), preprocessing, fit,
                            name, version, calibration, request.outDir()));
                }
            } finally {
                // the report either way, so a failed export still leaves it (and the checkpoint) behind
                RunSummary summary = new RunSummary(fit, request.base(), request.data(), preprocessing, model,
                        found, calibration);
                HtmlReport.write(summary, request.outDir());
                MetricsJson.write(summary, request.outDir());
            }
            return new FineTuneResult(fit, request.outDir().resolve(HtmlReport.FILE_NAME),
                    request.outDir().resolve(MetricsJson.FILE_NAME), model, name, version, preprocessing, found,
                    headSurgery(network), calibration);
        }
    }

    /** Where the old head was cut and what replaced it, for an imported network. */
    private static Optional<String> headSurgery(ClassifierNetwork network) {
        if (network instanceof OnnxClassifierNetwork onnx) {
            return Optional.of(onnx.headCut().description() + "; new head: " + onnx.headDescription());
        }
        return Optional.empty();
    }

    /** The network as it trains: freezing up to a named node wraps it, everything else trains it as loaded. */
    private static ClassifierNetwork trainable(ClassifierNetwork network, FineTuneRequest request) {
        if (request.firstTrainableNode().isEmpty()) {
            return network;
        }
        if (!(network instanceof OnnxClassifierNetwork onnx)) {
            throw new IllegalArgumentException("--freeze " + request.firstTrainableNode().get()
                    + ": freezing by node name needs an ONNX-imported network");
        }
        return new NodeFreezingNetwork(onnx, request.firstTrainableNode().get());
    }

    /** Closes a loaded network that owns native resources, whatever path the job leaves by. */
    private record LoadedNetwork(ClassifierNetwork network) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (network instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("closing the network: " + e.getMessage(), e);
                }
            }
        }
    }
}

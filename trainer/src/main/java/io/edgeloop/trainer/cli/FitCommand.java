package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.job.BasePreprocessing;
import io.edgeloop.trainer.job.FineTuneJob;
import io.edgeloop.trainer.job.FineTuneRequest;
import io.edgeloop.trainer.job.FineTuneResult;
import io.edgeloop.trainer.job.QuantizeJob;
import io.edgeloop.trainer.job.QuantizeRequest;
import io.edgeloop.trainer.job.RegistryJob;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadPool;
import io.edgeloop.trainer.quantize.RangeMethod;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.ImbalanceHandling;
import io.edgeloop.trainer.train.OptimiserKind;
import io.edgeloop.trainer.train.ScheduleKind;
import io.edgeloop.trainer.warning.AccuracyInterval;
import io.edgeloop.trainer.warning.WarningListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code trainer fit}: fine-tunes a pretrained ONNX classifier on an ImageFolder and writes, into {@code --out},
 * the checkpoint, {@code metrics.jsonl}, {@code report.html}, {@code metrics.json} and the model package
 * {@code model.onnx} (ONNX + model card, checked against ONNX Runtime). Options left out take {@link FitConfig}'s
 * defaults. Warnings (random base, grey base with colour images, input size, small validation set) go to stderr as
 * soon as they are known (the base and data ones before training, so a user can stop early) and are counted in the
 * summary; the report and {@code metrics.json} list them too.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tune a pretrained ONNX CNN on an ImageFolder and write a report.")
public final class FitCommand implements Callable<Integer> {

    @ParentCommand
    private TrainerMain parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "MODEL.onnx", description = "Pretrained ONNX classifier.")
    Path base;

    @Mixin
    DataOptions data;

    @Option(names = "--val", paramLabel = "DIR",
            description = "Separate validation ImageFolder. Default: a stratified split of --data.")
    Path val;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each class held out when splitting, 0 < F < 1. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--strategy", paramLabel = "S",
            description = "head, partial, full, auto or scratch. Default: auto (from the images per class).")
    FineTuneStrategy strategy;

    @Option(names = "--epochs", paramLabel = "N", description = "Default: 10.")
    Integer epochs;

    @Option(names = "--image-size", paramLabel = "N",
            description = "Input side in pixels; must match the base model's input. Default: the model's.")
    Integer imageSize;

    @Option(names = "--lr", paramLabel = "X", description = "Base (head) learning rate. Default: 0.001.")
    Double lr;

    @Option(names = "--backbone-lr-factor", paramLabel = "F",
            description = "Backbone rate = F × --lr (partial, full). Default: 0.1.")
    Double backboneLrFactor;

    @Option(names = "--optimizer", paramLabel = "O", description = "adamw or sgd. Default: adamw.")
    OptimiserKind optimiser;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum. Default: 0.9.")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Default: 1e-4.")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "S", description = "cosine or step. Default: cosine.")
    ScheduleKind schedule;

    @Option(names = "--step-epochs", paramLabel = "N", description = "step schedule: epochs per decay. Default: 5.")
    Integer stepEpochs;

    @Option(names = "--step-gamma", paramLabel = "G", description = "step schedule: decay factor. Default: 0.1.")
    Double stepGamma;

    @Option(names = "--warmup-epochs", paramLabel = "N", description = "Linear warmup epochs. Default: 1.")
    Integer warmupEpochs;

    @Option(names = "--label-smoothing", paramLabel = "S", description = "Default: 0.1.")
    Double labelSmoothing;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop after N epochs without validation improvement; 0 = never. Default: 5.")
    Integer patience;

    @Option(names = "--seed", paramLabel = "N", description = "Default: 42.")
    Long seed;

    @Mixin
    DeviceOptions devices;

    @Mixin
    PreprocessOptions preprocess;

    @Option(names = "--resume", description = "Continue the interrupted run in --out from its checkpoint.")
    boolean resume;

    @Option(names = "--freeze", paramLabel = "F|NODE", converter = FreezePoint.Converter.class,
            description = "partial: fraction of backbone weight layers frozen, or the first node that trains."
                    + " Default: 0.5.")
    FreezePoint freeze;

    @Option(names = "--cut-at", paramLabel = "NODE",
            description = "Node whose output feeds the new head. Default: the old head is found automatically.")
    String cutAt;

    @Option(names = "--head-pool", paramLabel = "P",
            description = "How the new head reduces a spatial feature map (a conv head's, or --cut-at a map):"
                    + " avg, max or flatten (C*H*W inputs). Default: avg.")
    HeadPool headPool;

    @Option(names = "--no-augment", description = "Train on the eval transform (resize + centre crop) only.")
    boolean noAugment;

    @Option(names = "--crop-scale", paramLabel = "MIN", split = ",",
            description = "Random resized crop area range MIN[,MAX]. Default: 0.08,1.0.")
    List<Double> cropScale;

    @Option(names = "--imbalance", paramLabel = "H",
            description = "none, class_weights or balanced_sampler. Default: class_weights.")
    ImbalanceHandling imbalance;

    @Option(names = "--cache-mb", paramLabel = "MB",
            description = "Decoded images kept in memory, MB (0 = decode every epoch). Default: 1024.")
    Long cacheMb;

    @Option(names = "--no-feature-cache", description = "head without augmentation: run the backbone every epoch.")
    boolean noFeatureCache;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Model name in the card. Default: with --register and a registered base, its name;"
                    + " else the data folder's name (its parent's for train/, data/, images/…), else the base"
                    + " model's name + '-ft'.")
    String name;

    @Option(names = "--model-version", paramLabel = "V",
            description = "Model version in the card. Default: the UTC time, yyyyMMdd-HHmmss.")
    String modelVersion;

    @Option(names = "--register",
            description = "Put the finished run into the model registry as <registry>/<name>/<version>/.")
    boolean register;

    @Option(names = "--registry", paramLabel = "DIR",
            description = "Registry folder for --register. Default: " + ModelRegistry.DEFAULT_FOLDER + ".")
    Path registry;

    @Option(names = "--log-every", paramLabel = "N", description = "Also log metrics every N steps. Default: 0.")
    Integer logEvery;

    @Option(names = "--target-precision", paramLabel = "P",
            description = "Precision the per-class score thresholds in the model card aim for, 0 < P <= 1"
                    + " (docs/calibration.md). Default: 0.9.")
    Double targetPrecision;

    @Option(names = "--quantize", paramLabel = "int8",
            description = "Also write an int8 package into --out/int8/ (trainer quantize: calibrated on the"
                    + " training images, measured on the validation ones, refused above a 1-point drop).")
    String quantize;

    @Option(names = "--quantize-method", paramLabel = "M",
            description = "With --quantize: minmax, percentile or entropy. Default: minmax.")
    String quantizeMethod;

    @Override
    public Integer call() throws Exception {
        if (quantize != null && !quantize.equals("int8")) {
            throw new IllegalArgumentException("--quantize is '" + quantize + "', allowed int8");
        }
        if (quantizeMethod != null && quantize == null) {
            throw new IllegalArgumentException("--quantize-method " + quantizeMethod + " is given without"
                    + " --quantize int8, allowed together only");
        }
        RangeMethod method = quantizeMethod == null ? RangeMethod.DEFAULT
                : RangeMethod.of("--quantize-method", quantizeMethod);
        if (registry != null && !register) {
            throw new IllegalArgumentException("--registry " + registry + " is given without --register, allowed"
                    + " together only");
        }
        RegistryJob registryJob = register ? new RegistryJob(registry != null ? registry
                : Path.of(ModelRegistry.DEFAULT_FOLDER)) : null;
        if (registryJob != null && name == null) {
            name = registryJob.nameOfRegisteredBase(base).orElse(null); // fitting from v1 continues its model
        }
        FineTuneRequest request = request();
        if (registryJob != null) {
            registryJob.checkBeforeFit(request); // an hour of training must not end in a refused registration
        }
        ProgressBarListener progress = Terminal.interactive() ? new ProgressBarListener(System.err) : null;
        FineTuneResult result;
        try {
            PrintWriter stderr = spec.commandLine().getErr();
            WarningListener warnings = w -> {
                if (progress != null) {
                    progress.close(); // a bar mid-line would swallow the warning
                }
                stderr.println(w.toText());
                stderr.flush();
            };
            result = new FineTuneJob(parent.services()).run(request, progress == null ? FitListener.NONE : progress,
                    warnings);
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        // after the run, so a failure stays the one line CommandLines prints; the base is known readable here
        BasePreprocessing.notice(request.base(), request.preprocessing()).ifPresent(n -> {
            spec.commandLine().getErr().println(n);
            spec.commandLine().getErr().flush();
        });
        printSummary(spec.commandLine().getOut(), result);
        if (quantize != null && result.model().isPresent()) {
            quantized(request, result.model().get(), method);
        }
        if (registryJob != null) {
            RegisteredVersion registered = registryJob.register(result, request.data());
            PrintWriter out = spec.commandLine().getOut();
            out.println("registered: " + registered.folder() + registered.parent().map(p -> " (parent "
                    + p.version() + (p.registered() ? "" : ", not registered") + ")").orElse(""));
            out.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * Quantises the package just exported: calibrated on the training images, measured on the validation ones (the
     * same split fit made: same folder, seed and fraction), into {@code --out/int8/}. A refused package fails the
     * command (exit 1) after the fp32 one is written.
     */
    private void quantized(FineTuneRequest request, Path fp32, RangeMethod method) throws Exception {
        QuantizeRequest q = new QuantizeRequest(fp32, request.data(), request.validation(),
                request.outDir().resolve("int8"), method, QuantizeRequest.DEFAULT_CALIBRATION_IMAGES,
                QuantizeRequest.DEFAULT_MAX_DROP, false, request.threads(), QuantizeRequest.DEFAULT_BATCH,
                request.training().seed(), request.validationFraction(), true);
        QuantizeCommand.print(spec.commandLine().getOut(), new QuantizeJob().run(q));
    }

    /** The validated request: every check that needs no model or image runs here, before any work. */
    FineTuneRequest request() {
        FitConfig.Builder training = FitConfig.builder();
        applyOptions(training);
        Augmentation augmentation = Augmentation.DEFAULT;
        if (cropScale != null && !cropScale.isEmpty()) {
            augmentation = augmentation.withScale(cropScale.get(0), cropScale.size() > 1 ? cropScale.get(1) : 1.0);
        }
        Integer side = imageSize;
        if (preprocess.crop().isPresent()) {
            int crop = preprocess.crop().get();
            if (side != null && side != crop) {
                throw new IllegalArgumentException("--crop is " + crop + " but --image-size is " + side
                        + ", allowed the same side for both (the model's input side)");
            }
            side = crop;
        }
        FineTuneRequest.Builder b = FineTuneRequest.builder().setBase(base).setData(data.data).setOutDir(out)
                .optValidation(val).optValidationFraction(valFraction).optTraining(OptionNames.build(training::build,
                        OptionNames.FIT))
                .optImageSize(side).optAugmentation(augmentation).optThreads(data.threads())
                .optDevices(devices.resolve(parent.services().gpuCount())).optCutAt(cutAt)
                .optHeadPool(headPool == null ? HeadPool.AVG : headPool).optResume(resume)
                .optName(name).optVersion(modelVersion)
                .optPreprocessing(preprocess.declared().orElse(null));
        if (targetPrecision != null) {
            b.optTargetPrecision(targetPrecision);
        }
        if (cacheMb != null) {
            b.optCacheBytes(cacheMb << 20);
        }
        if (freeze != null && freeze.byNode()) {
            b.optFirstTrainableNode(freeze.node());
        }
        return b.build();
    }

    private void applyOptions(FitConfig.Builder b) {
        if (strategy != null) {
            b.strategy(strategy);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        b.batchSize(data.batchSize());
        if (lr != null) {
            b.learningRate(lr);
        }
        if (backboneLrFactor != null) {
            b.backboneLrFactor(backboneLrFactor);
        }
        if (optimiser != null) {
            b.optimiser(optimiser);
        }
        if (momentum != null) {
            b.momentum(momentum);
        }
        b.nesterov(nesterov);
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        if (schedule != null) {
            b.schedule(schedule);
        }
        if (stepEpochs != null) {
            b.stepEpochs(stepEpochs);
        }
        if (stepGamma != null) {
            b.stepGamma(stepGamma);
        }
        if (warmupEpochs != null) {
            b.warmupEpochs(warmupEpochs);
        } else if (epochs != null && epochs <= 1) {
            b.warmupEpochs(0); // the default single warmup epoch needs at least two epochs
        }
        if (labelSmoothing != null) {
            b.labelSmoothing(labelSmoothing);
        }
        if (patience != null) {
            b.patience(patience);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (freeze != null && !freeze.byNode()) {
            b.freezeFraction(freeze.fraction());
        }
        b.augment(!noAugment);
        b.device(devices.kind());
        if (imbalance != null) {
            b.imbalance(imbalance);
        }
        b.featureCache(!noFeatureCache);
        if (logEvery != null) {
            b.logEverySteps(logEvery);
        }
    }

    private static void printSummary(PrintWriter stdout, FineTuneResult result) {
        FitResult r = result.fit();
        stdout.printf(Locale.ROOT, "strategy: %s%n", r.decision().reason());
        result.head().ifPresent(h -> stdout.println("head: " + h));
        r.evaluation().ifPresentOrElse(
                e -> stdout.printf(Locale.ROOT, "best epoch %d of %d: validation accuracy %.4f, loss %.4f,"
                                + " macro F1 %.4f (%d images)%n", r.bestEpoch(), r.history().size(), e.accuracy(),
                        e.loss(), e.macroF1(), e.images()),
                () -> stdout.printf(Locale.ROOT, "%d epochs, no validation images%n", r.history().size()));
        r.evaluation().filter(e -> e.images() > 0).ifPresent(e -> stdout.println("val accuracy "
                + AccuracyInterval.of(e).describe()));
        result.calibration().ifPresent(c -> stdout.println("calibration: " + c.summary()));
        if (!r.skipped().isEmpty()) {
            stdout.printf(Locale.ROOT, "skipped %d unreadable image(s), listed in the report%n", r.skipped().size());
        }
        if (!result.warnings().isEmpty()) {
            stdout.println("warnings: " + String.join(", ", result.warnings().stream().map(w -> w.code().id())
                    .toList()) + " (on stderr above and in the report)");
        }
        stdout.println("report: " + result.report());
        stdout.println(result.model().map(p -> "model: " + p + " (" + result.name() + " " + result.version() + ")")
                .orElse("model: not exported (no exporter wired in); the trained weights are in the checkpoint"));
        stdout.flush();
    }
}

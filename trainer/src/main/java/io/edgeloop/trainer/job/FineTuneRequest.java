package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.trainer.calibrate.Calibrator;
import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.onnx.HeadPool;
import io.edgeloop.trainer.train.Checkpoint;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.TrainingDevices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import ai.djl.Device;

/**
 * One fine-tuning run, validated on construction so that a bad request fails before any model or image is loaded.
 * Messages name the {@code trainer fit} option of the bad field. Build with {@link #builder()}: {@code set*} for
 * what is required (base, data, output folder), {@code opt*} for the rest.
 *
 * @param base               pretrained ONNX classifier (a plain ONNX file or a model package)
 * @param data               ImageFolder with the training images
 * @param validation         separate validation ImageFolder; empty: a stratified split of {@code data}
 * @param validationFraction share of each class held out when splitting, in (0, 1)
 * @param outDir             the run's folder: must be new or empty, or hold the run to {@code resume}
 * @param training           the training settings; its image size is the base model's unless {@code imageSize}
 * @param imageSize          the input side the caller expects; it must match the base model's
 * @param augmentation       random resized crop and colour settings (used when {@code training.augment()})
 * @param cacheBytes         decoded image bytes kept in memory, &gt;= 0
 * @param threads            image decoding threads
 * @param devices            where training runs; the first device holds the weights
 * @param cutAt              node whose output feeds the new head; empty: found automatically
 * @param headPool           how the new head pools a spatial feature map (a conv head's, or a cut at a map)
 * @param firstTrainableNode PARTIAL by node: the first node that trains (instead of a fraction)
 * @param resume             continue the interrupted run in {@code outDir}
 * @param name               model name in the card; empty: {@link ModelNames#defaultName}
 * @param version            model version in the card; empty: the UTC time
 * @param preprocessing      preprocessing declared for a plain ONNX base; empty: ImageNet's (refused for a
 *                           model package, whose card fixes it)
 * @param targetPrecision    the precision the per-class thresholds aim for, in (0, 1]
 *                           ({@link Calibrator#DEFAULT_TARGET_PRECISION} by default)
 */
public record FineTuneRequest(Path base, Path data, Optional<Path> validation, double validationFraction,
                              Path outDir, FitConfig training, OptionalInt imageSize, Augmentation augmentation,
                              long cacheBytes, int threads, TrainingDevices devices, Optional<String> cutAt,
                              HeadPool headPool, Optional<String> firstTrainableNode, boolean resume,
                              Optional<String> name, Optional<String> version,
                              Optional<DeclaredPreprocessing> preprocessing, double targetPrecision) {

    public FineTuneRequest {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(imageSize, "imageSize");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(cutAt, "cutAt");
        Objects.requireNonNull(headPool, "--head-pool is required, allowed: avg, max or flatten");
        Objects.requireNonNull(firstTrainableNode, "firstTrainableNode");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Checks.file("--base", base);
        Checks.directory("--data", data);
        validation.ifPresent(v -> Checks.directory("--val", v));
        Objects.requireNonNull(outDir, "--out is required");
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction is " + validationFraction + ", allowed 0 < F < 1");
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("--cache-mb is " + (cacheBytes >> 20) + ", allowed >= 0");
        }
        if (threads < 1 || threads > DecodePool.MAX_THREADS) {
            throw new IllegalArgumentException("--threads is " + threads + ", allowed 1.." + DecodePool.MAX_THREADS);
        }
        cutAt.ifPresent(n -> Checks.required("--cut-at", n, "a non-empty value"));
        firstTrainableNode.ifPresent(n -> Checks.required("--freeze", n, "a non-empty value"));
        name.ifPresent(n -> {
            if (!ModelNames.sanitise(n).equals(n)) {
                throw new IllegalArgumentException("--name is \"" + n + "\", allowed: a letter or digit, then up to"
                        + " 127 letters, digits, '.', '_' or '-'");
            }
        });
        version.ifPresent(v -> Checks.required("--model-version", v, "a non-empty value"));
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("--target-precision is " + targetPrecision + ", allowed 0 < P <= 1");
        }
        checkOutput(outDir, resume);
    }

    /** How the run's model is calibrated on its validation images. */
    public Calibrator calibrator() {
        return new Calibrator(ReliabilityDiagram.DEFAULT_BINS, targetPrecision);
    }

    /** A new or empty folder, or (with {@code resume}) one that holds an interrupted run. */
    private static void checkOutput(Path outDir, boolean resume) {
        Path checkpoint = outDir.resolve(Checkpoint.FILE_NAME);
        if (resume) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new IllegalArgumentException("--resume given but " + outDir + " holds no interrupted run (no "
                        + Checkpoint.FILE_NAME + "); drop --resume to start a new run");
            }
            return;
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out " + outDir + " is a file, allowed: a new or empty folder");
        }
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> children = Files.list(outDir)) {
                if (children.findAny().isPresent()) {
                    String what = Files.exists(checkpoint) ? "already holds a run (" + Checkpoint.FILE_NAME
                            + "); use --resume to continue it or" : "is not empty;";
                    throw new IllegalArgumentException("--out " + outDir + " " + what + " choose a new or empty"
                            + " folder");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --out " + outDir + ": " + e.getMessage(), e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FineTuneRequest}; validation happens in {@link #build()}. */
    public static final class Builder {
        private Path base;
        private Path data;
        private Path outDir;
        private Path validation;
        private double validationFraction = 0.2;
        private FitConfig training = FitConfig.builder().build();
        private Integer imageSize;
        private Augmentation augmentation = Augmentation.DEFAULT;
        private long cacheBytes = DataConfig.DEFAULT_CACHE_BYTES;
        private int threads = DecodePool.defaultThreads();
        private TrainingDevices devices = TrainingDevices.single(Device.cpu());
        private String cutAt;
        private HeadPool headPool = HeadPool.AVG;
        private String firstTrainableNode;
        private boolean resume;
        private String name;
        private String version;
        private DeclaredPreprocessing preprocessing;
        private double targetPrecision = Calibrator.DEFAULT_TARGET_PRECISION;

        private Builder() {
        }

        public Builder setBase(Path v) { base = v; return this; }
        public Builder setData(Path v) { data = v; return this; }
        public Builder setOutDir(Path v) { outDir = v; return this; }
        public Builder optValidation(Path v) { validation = v; return this; }
        public Builder optValidationFraction(double v) { validationFraction = v; return this; }
        public Builder optTraining(FitConfig v) { training = v; return this; }
        public Builder optImageSize(Integer v) { imageSize = v; return this; }
        public Builder optAugmentation(Augmentation v) { augmentation = v; return this; }
        public Builder optCacheBytes(long v) { cacheBytes = v; return this; }
        public Builder optThreads(int v) { threads = v; return this; }
        public Builder optDevices(TrainingDevices v) { devices = v; return this; }
        public Builder optCutAt(String v) { cutAt = v; return this; }
        public Builder optHeadPool(HeadPool v) { headPool = v; return this; }
        public Builder optFirstTrainableNode(String v) { firstTrainableNode = v; return this; }
        public Builder optResume(boolean v) { resume = v; return this; }
        public Builder optName(String v) { name = v; return this; }
        public Builder optVersion(String v) { version = v; return this; }
        public Builder optPreprocessing(DeclaredPreprocessing v) { preprocessing = v; return this; }
        public Builder optTargetPrecision(double v) { targetPrecision = v; return this; }

        public FineTuneRequest build() {
            return new FineTuneRequest(base, data, Optional.ofNullable(validation), validationFraction, outDir,
                    training, imageSize == null ? OptionalInt.empty() : OptionalInt.of(imageSize), augmentation,
                    cacheBytes, threads, devices, Optional.ofNullable(cutAt), headPool,
                    Optional.ofNullable(firstTrainableNode), resume, Optional.ofNullable(name),
                    Optional.ofNullable(version), Optional.ofNullable(preprocessing), targetPrecision);
        }
    }
}

package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.Quantization;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.DatasetException;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.data.ImageStore;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.data.StratifiedSplit;
import io.edgeloop.trainer.quantize.BatchNormFolding;
import io.edgeloop.trainer.quantize.Calibrator;
import io.edgeloop.trainer.quantize.FusedKernels;
import io.edgeloop.trainer.quantize.QdqRewriter;
import io.edgeloop.trainer.quantize.TensorRange;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Quantises an fp32 model package to static int8 QDQ with ONNX Runtime, no Python: BatchNormalization folded into
 * the Convs, activation ranges calibrated on the calibration images (preprocessed exactly as the card says, by the
 * trainer's own decoder and {@link ImageStore}), weights int8 per channel, the graph rewritten with
 * QuantizeLinear/DequantizeLinear pairs ({@link io.edgeloop.trainer.quantize}). Both packages are then run by ONNX
 * Runtime on the validation images; when int8 top-1 falls more than {@code maxDrop} points below fp32 the package
 * is refused ({@link JobFailure}: exit 1), unless forced. The written package keeps the card (labels,
 * preprocessing, temperature, thresholds, provenance), marks its version {@code -int8} and records both accuracies
 * in {@code quantization}.
 */
public final class QuantizeJob {

    private final Clock clock;

    public QuantizeJob() {
        this(Clock.systemUTC());
    }

    /** With the clock that dates the int8 card (for tests). */
    public QuantizeJob(Clock clock) {
        this.clock = clock;
    }

    /** Runs the request. */
    public QuantizeResult run(QuantizeRequest request) throws IOException, InterruptedException, OrtException,
            ModelPackageException {
        ModelPackage fp32 = ModelPackage.read(request.model());
        ModelCard card = fp32.card();
        if (card.quantization() != null) {
            throw new IllegalArgumentException("--model " + request.model() + " is already an int8 package ("
                    + card.quantization().method() + ", from " + card.quantization().sourceSha256().substring(0, 12)
                    + "…), allowed an fp32 package");
        }
        List<ImageSample> calibration;
        List<ImageSample> validation;
        ImageFolder calibFolder = ImageFolder.scanWithLabels(request.calibration(), card.labels(),
                "calibration folder", "model's labels");
        if (request.validation().isPresent()) {
            calibration = calibFolder.samples();
            validation = ImageFolder.scanWithLabels(request.validation().get(), card.labels(), "validation folder",
                    "model's labels").samples();
        } else {
            StratifiedSplit split = StratifiedSplit.of(calibFolder.samples(), card.labels().size(),
                    request.validationFraction(), request.seed());
            calibration = split.train();
            validation = split.validation();
            if (validation.isEmpty()) {
                throw new DatasetException("calibration folder " + request.calibration() + " has no class with 2 or"
                        + " more images to hold one out for validation; give a separate --val DIR");
            }
        }
        calibration = sample(calibration, request.calibrationImages(), request.seed());
        try (DecodePool pool = DecodePool.open(request.threads())) {
            ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), card.preprocessing(),
                    DataConfig.DEFAULT_CACHE_BYTES);
            List<SkippedImage> skipped = new ArrayList<>();
            calibration = readable(calibration, store, pool, skipped, "calibration", request.skipUnreadable());
            validation = readable(validation, store, pool, skipped, "validation", request.skipUnreadable());
            BatchLoader loader = new BatchLoader(store, Augmentation.DEFAULT, pool.executor());
            long fixed = card.input().shape().get(0);
            int batch = fixed > 0 ? (int) fixed : request.batchSize();

            BatchNormFolding.Folded folded = BatchNormFolding.fold(fp32.model());
            QdqRewriter.Plan plan = QdqRewriter.plan(folded.model());
            List<ImageSample> calib = calibration;
            Map<String, TensorRange> ranges = Calibrator.calibrate(folded.model(), card.input().name(),
                    plan.calibrated(), () -> new Pass(loader.inOrder(calib, batch)), request.method());
            OnnxMl.ModelProto int8 = QdqRewriter.rewrite(folded.model(), plan, ranges);
            byte[] int8Bytes = int8.toByteArray();

            Accuracy measured = measure(fp32.model().toByteArray(), int8Bytes, card, loader, validation, batch);
            Quantization quantization = new Quantization(Quantization.SCHEME, request.method().id(),
                    calibration.size(), validation.size(), measured.fp32(), measured.int8(), measured.agreement(),
                    fp32.sha256());
            Map<String, Integer> kernels = FusedKernels.of(int8Bytes);
            ModelCard int8Card = card.toBuilder().setVersion(int8Version(card.version()))
                    .setCreated(clock.instant()).optQuantization(quantization).build();
            boolean exceeded = quantization.dropPoints() > request.maxDrop() + 1e-9;
            if (exceeded && !request.force()) {
                throw new JobFailure(refusal(quantization, request));
            }
            Path target = request.outDir().resolve("model.onnx");
            ModelPackage written = ModelPackage.write(int8, int8Card, target);
            int pairs = (int) int8.getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("QuantizeLinear")).count();
            return new QuantizeResult(Optional.of(target), int8Card, quantization, folded.folded(), pairs, kernels,
                    fp32.sizeBytes(), written.sizeBytes(), skipped, exceeded);
        }
    }

    /** The refusal message: both accuracies, the drop, the gate and what to try. */
    static String refusal(Quantization q, QuantizeRequest request) {
        return String.format(Locale.ROOT, "int8 top-1 accuracy %.2f %% is %.2f points below fp32 %.2f %% on %d"
                        + " validation images (method %s), more than --max-drop %.2f; nothing written. Try another"
                        + " --method (%s), more --calib-images, or --force to write it anyway",
                100 * q.int8Accuracy(), q.dropPoints(), 100 * q.fp32Accuracy(), q.validationImages(), q.method(),
                request.maxDrop(), String.join(", ", Quantization.METHODS));
    }

    /** {@code V-int8}, so a device's status and the registry tell the two packages apart. */
    static String int8Version(String version) {
        String marked = version + "-int8";
        return marked.length() <= 128 ? marked : version.substring(0, 128 - 5) + "-int8";
    }

    /** At most {@code n} samples: a seeded shuffle's first n, back in path order. */
    private static List<ImageSample> sample(List<ImageSample> samples, int n, long seed) {
        if (samples.size() <= n) {
            return samples;
        }
        List<ImageSample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        List<ImageSample> kept = new ArrayList<>(shuffled.subList(0, n));
        kept.sort(Comparator.comparing(ImageSample::relativePath));
        return kept;
    }

    private static List<ImageSample> readable(List<ImageSample> samples, ImageStore store, DecodePool pool,
                                              List<SkippedImage> skipped, String role, boolean skip)
            throws InterruptedException {
        List<SkippedImage> bad = new ArrayList<>();
        List<ImageSample> usable = DatasetLoader.decodeAll(samples, store, ImageStore.Preparation.EVAL,
                pool.executor(), bad);
        if (!bad.isEmpty() && !skip) {
            SkippedImage first = bad.get(0);
            throw new DatasetException(role + " image " + first.file() + " cannot be used: " + first.reason()
                    + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : "") + "; allowed JPEG, PNG or BMP"
                    + " images that decode: remove or replace it");
        }
        skipped.addAll(bad);
        if (usable.isEmpty()) {
            throw new DatasetException("no readable " + role + " images, allowed at least one JPEG, PNG or BMP image"
                    + " in the class folders");
        }
        return usable;
    }

    /** Top-1 of both packages and their agreement on the same images. */
    private record Accuracy(double fp32, double int8, double agreement) {
    }

    private static Accuracy measure(byte[] fp32, byte[] int8, ModelCard card, BatchLoader loader,
                                    List<ImageSample> validation, int batch) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int k = card.labels().size();
        int right32 = 0;
        int right8 = 0;
        int same = 0;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession s32 = env.createSession(fp32, options);
             OrtSession s8 = env.createSession(int8, options);
             BatchLoader.BatchStream stream = loader.inOrder(validation, batch)) {
            while (stream.hasNext()) {
                Batch b = stream.next();
                long[] shape = {b.size(), 3, b.imageSize(), b.imageSize()};
                int[] top32 = top1(s32, env, card, b.pixels(), shape, k);
                int[] top8 = top1(s8, env, card, b.pixels(), shape, k);
                for (int i = 0; i < b.size(); i++) {
                    right32 += top32[i] == b.labels()[i] ? 1 : 0;
                    right8 += top8[i] == b.labels()[i] ? 1 : 0;
                    same += top32[i] == top8[i] ? 1 : 0;
                }
            }
        }
        double n = validation.size();
        return new Accuracy(right32 / n, right8 / n, same / n);
    }

    private static int[] top1(OrtSession session, OrtEnvironment env, ModelCard card, FloatBuffer pixels,
                              long[] shape, int k) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, pixels.duplicate(), shape);
             OrtSession.Result result = session.run(Map.of(card.input().name(), input))) {
            OnnxValue value = result.get(card.output().name()).orElseThrow(() -> new IllegalStateException(
                    "output '" + card.output().name() + "' is not produced by the graph"));
            FloatBuffer scores = ((OnnxTensor) value).getFloatBuffer();
            int n = (int) shape[0];
            int[] top = new int[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (scores.get(i * k + c) > scores.get(i * k + best)) {
                        best = c;
                    }
                }
                top[i] = best;
            }
            return top;
        }
    }

    /** One calibration pass over the batch stream, closing it when done. */
    private static final class Pass implements Calibrator.Pass {
        private final BatchLoader.BatchStream stream;

        Pass(BatchLoader.BatchStream stream) {
            this.stream = stream;
        }

        @Override
        public boolean hasNext() {
            return stream.hasNext();
        }

        @Override
        public Calibrator.Images next() {
            Batch b = stream.next();
            return new Calibrator.Images(b.pixels(), new long[] {b.size(), 3, b.imageSize(), b.imageSize()});
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}

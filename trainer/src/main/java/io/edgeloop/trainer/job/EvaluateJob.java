package io.edgeloop.trainer.job;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.trainer.calibrate.LabelledScores;
import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.compare.PairedComparison.Outcome;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.data.ImageStore;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.EvaluationAccumulator;
import io.edgeloop.trainer.warning.ValidationCheck;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a model package with ONNX Runtime — the engine the devices use — on a labelled ImageFolder,
 * preprocessed exactly as its model card says (or a plain ONNX classifier, with the labels and preprocessing the
 * request declares), and returns accuracy, per-class figures, the confusion matrix and
 * the worst mistakes, and the calibration: the expected calibration error ({@value ReliabilityDiagram#DEFAULT_BINS}
 * bins) of the scores as the device computes them and, for logits, at temperature 1. Scores become probabilities
 * as on the device: softmax of logits over the card's temperature.
 */
public final class EvaluateJob {

    /** Runs the request. */
    public EvaluateResult run(EvaluateRequest request) throws IOException, InterruptedException, OrtException,
            ModelPackageException {
        EvaluatedModel model = EvaluatedModel.of(request);
        ImageFolder folder = ImageFolder.scanWithLabels(request.data(), model.labels(), "data folder",
                "model's labels");
        try (DecodePool pool = DecodePool.open(request.threads())) {
            ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), model.preprocessing(),
                    DataConfig.DEFAULT_CACHE_BYTES);
            List<SkippedImage> skipped = new ArrayList<>();
            List<ImageSample> samples = DatasetLoader.decodeAll(folder.samples(), store,
                    ImageStore.Preparation.EVAL, pool.executor(), skipped);
            int batchSize = model.fixedBatch() > 0 ? (int) model.fixedBatch()
                    : request.batchSize().orElse(EvaluateRequest.DEFAULT_BATCH);
            List<Outcome> outcomes = new ArrayList<>(samples.size());
            LabelledScores.Builder raw = new LabelledScores.Builder(model.labels().size());
            Evaluation evaluation = evaluate(request, model, new BatchLoader(store, Augmentation.DEFAULT,
                    pool.executor()), samples, batchSize, outcomes, raw);
            LabelledScores scores = raw.build();
            int k = model.labels().size();
            double temperature = model.probabilities() ? 1 : model.temperature();
            // for a probabilities output the raw scores are the probabilities already
            ReliabilityDiagram reliability = ReliabilityDiagram.of(model.probabilities() ? scores.logits()
                    : scores.probabilities(temperature), scores.truth(), k, ReliabilityDiagram.DEFAULT_BINS);
            Optional<ReliabilityDiagram> uncalibrated = model.probabilities() ? Optional.empty()
                    : Optional.of(ReliabilityDiagram.of(scores.probabilities(1), scores.truth(), k,
                            ReliabilityDiagram.DEFAULT_BINS));
            return new EvaluateResult(model.card(), model.preprocessing(), evaluation, skipped,
                    ValidationCheck.check(Optional.of(evaluation), "evaluation",
                            "evaluate on more labelled images (more per class in --data)").stream().toList(),
                    outcomes, temperature, reliability, uncalibrated);
        }
    }

    private static Evaluation evaluate(EvaluateRequest request, EvaluatedModel model, BatchLoader loader,
                                       List<ImageSample> samples, int batchSize, List<Outcome> outcomes,
                                       LabelledScores.Builder raw) throws OrtException {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(model.labels(), samples, request.worst());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int k = model.labels().size();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = model.sessionModel().isPresent()
                     ? env.createSession(model.sessionModel().get(), options)
                     : env.createSession(request.model().toString(), options);
             BatchLoader.BatchStream stream = loader.inOrder(samples, batchSize)) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                FloatBuffer pixels = model.channelsLast() ? channelsLast(batch.pixels(), batch.size(),
                        model.preprocessing().cropSize()) : batch.pixels();
                try (OnnxTensor input = model.float16Input()
                        ? OnnxTensor.createTensor(env, Fp16Conversions.convertFloatBufferToFp16Buffer(pixels),
                                model.inputShape(batch.size()), OnnxJavaType.FLOAT16)
                        : OnnxTensor.createTensor(env, pixels, model.inputShape(batch.size()));
                     OrtSession.Result result = session.run(Map.of(model.inputName(), input))) {
                    float[] scores = scores(request, model, result, batch.size() * k);
                    float[] probabilities = new float[batch.size() * k];
                    for (int i = 0; i < batch.size(); i++) {
                        toProbabilities(scores, i * k, k, model, probabilities);
                    }
                    accumulator.add(probabilities, batch.labels(), batch.sampleIndices());
                    raw.add(scores, batch.labels());
                    addOutcomes(model.labels(), samples, batch, probabilities, outcomes);
                }
            }
        }
        return accumulator.result();
    }

    private static void addOutcomes(List<String> labels, List<ImageSample> samples, Batch batch,
                                    float[] probabilities, List<Outcome> outcomes) {
        int k = labels.size();
        for (int i = 0; i < batch.size(); i++) {
            int best = EvaluationAccumulator.argmax(probabilities, i * k, k);
            outcomes.add(new Outcome(samples.get(batch.sampleIndices()[i]).file(), labels.get(batch.labels()[i]),
                    labels.get(best)));
        }
    }

    private static float[] scores(EvaluateRequest request, EvaluatedModel model, OrtSession.Result result,
                                  int expected) throws OrtException {
        OnnxValue value = result.get(model.outputName()).orElseThrow(() -> new IllegalArgumentException(
                request.model() + ": output '" + model.outputName() + "' is not produced by the graph"));
        if (!(value instanceof OnnxTensor tensor) || (tensor.getInfo().type != OnnxJavaType.FLOAT
                && tensor.getInfo().type != OnnxJavaType.FLOAT16)) {
            throw new IllegalArgumentException(request.model() + ": output '" + model.outputName() + "' is "
                    + value.getInfo() + ", allowed a float tensor of scores");
        }
        FloatBuffer buffer = tensor.getInfo().type == OnnxJavaType.FLOAT16
                ? Fp16Conversions.convertFp16BufferToFloatBuffer(tensor.getShortBuffer()) : tensor.getFloatBuffer();
        if (buffer.remaining() != expected) {
            throw new IllegalArgumentException(request.model() + ": output '" + model.outputName() + "' has shape "
                    + Arrays.toString(tensor.getInfo().getShape()) + " but the model has " + model.labels().size()
                    + " labels; allowed one score per label and image");
        }
        float[] scores = new float[expected];
        buffer.get(scores);
        return scores;
    }

    private static FloatBuffer channelsLast(FloatBuffer nchw, int n, int side) {
        float[] nhwc = new float[n * 3 * side * side];
        int plane = side * side;
        int start = nchw.position();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    nhwc[(i * plane + p) * 3 + c] = nchw.get(start + (i * 3 + c) * plane + p);
                }
            }
        }
        return FloatBuffer.wrap(nhwc);
    }

    private static void toProbabilities(float[] scores, int from, int k, EvaluatedModel model, float[] out) {
        toProbabilities(scores, from, k, model.probabilities(), model.temperature(), out, from);
    }

    /** softmax(logits / temperature), or the probabilities as they are. */
    private static void toProbabilities(float[] scores, int from, int k, boolean probabilities, double temperature,
                                        float[] out, int offset) {
        if (probabilities) {
            System.arraycopy(scores, from, out, offset, k);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, scores[from + c] / temperature);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(scores[from + c] / temperature - max);
            out[offset + c] = (float) e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            out[offset + c] /= (float) sum;
        }
    }
}

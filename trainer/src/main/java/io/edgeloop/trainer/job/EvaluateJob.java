package io.edgeloop.trainer.job;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.data.ImageStore;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.EvaluationAccumulator;
import io.edgeloop.trainer.warning.ValidationCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a model package with ONNX Runtime — the engine the devices use — on a labelled ImageFolder,
 * preprocessed exactly as its model card says, and returns accuracy, per-class figures, the confusion matrix and
 * the worst mistakes. Scores become probabilities as on the device: softmax of logits over the card's temperature.
 */
public final class EvaluateJob {

    /** Runs the request. */
    public EvaluateResult run(EvaluateRequest request) throws IOException, InterruptedException, OrtException,
            ModelPackageException {
        ModelCard card = readCard(request);
        ImageFolder folder = ImageFolder.scanWithLabels(request.data(), card.labels(), "data folder",
                "model's labels");
        try (DecodePool pool = DecodePool.open(request.threads())) {
            ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), card.preprocessing(),
                    DataConfig.DEFAULT_CACHE_BYTES);
            List<SkippedImage> skipped = new ArrayList<>();
            List<ImageSample> samples = DatasetLoader.decodeAll(folder.samples(), store,
                    ImageStore.Preparation.EVAL, pool.executor(), skipped);
            long fixedBatch = card.input().shape().get(0);
            int batchSize = fixedBatch > 0 ? (int) fixedBatch
                    : request.batchSize().orElse(EvaluateRequest.DEFAULT_BATCH);
            Evaluation evaluation = evaluate(request, card, new BatchLoader(store, Augmentation.DEFAULT,
                    pool.executor()), samples, batchSize);
            return new EvaluateResult(card, evaluation, skipped, ValidationCheck.check(Optional.of(evaluation),
                    "evaluation", "evaluate on more labelled images (more per class in --data)").stream().toList());
        }
    }

    private static ModelCard readCard(EvaluateRequest request) throws ModelPackageException {
        boolean hasCard = OnnxGraph.read(request.model()).getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
        if (!hasCard) {
            throw new IllegalArgumentException("--model " + request.model() + " has no model card (a plain ONNX"
                    + " model); evaluate takes the labels and preprocessing from a model package written by"
                    + " 'trainer fit'");
        }
        return ModelPackage.read(request.model()).card();
    }

    private static Evaluation evaluate(EvaluateRequest request, ModelCard card, BatchLoader loader,
                                       List<ImageSample> samples, int batchSize) throws OrtException {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(card.labels(), samples, request.worst());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int k = card.labels().size();
        int side = card.preprocessing().cropSize();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(request.model().toString(), options);
             BatchLoader.BatchStream stream = loader.inOrder(samples, batchSize)) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                try (OnnxTensor input = OnnxTensor.createTensor(env, batch.pixels(),
                        new long[] {batch.size(), 3, side, side});
                     OrtSession.Result result = session.run(Map.of(card.input().name(), input))) {
                    float[][] scores = (float[][]) result.get(card.output().name()).orElseThrow(() ->
                            new IllegalArgumentException(request.model() + ": the card's output '"
                                    + card.output().name() + "' is not produced by the graph")).getValue();
                    float[] probabilities = new float[batch.size() * k];
                    for (int i = 0; i < batch.size(); i++) {
                        toProbabilities(scores[i], card, probabilities, i * k);
                    }
                    accumulator.add(probabilities, batch.labels(), batch.sampleIndices());
                }
            }
        }
        return accumulator.result();
    }

    /** softmax(logits / temperature), or the probabilities as they are. */
    static void toProbabilities(float[] scores, ModelCard card, float[] out, int offset) {
        if (card.output().kind() == OutputKind.PROBABILITIES) {
            System.arraycopy(scores, 0, out, offset, scores.length);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s / card.temperature());
        }
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            double e = Math.exp(scores[c] / card.temperature() - max);
            out[offset + c] = (float) e;
            sum += e;
        }
        for (int c = 0; c < scores.length; c++) {
            out[offset + c] /= (float) sum;
        }
    }
}

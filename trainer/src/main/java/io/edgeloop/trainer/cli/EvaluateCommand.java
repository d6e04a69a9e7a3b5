package io.edgeloop.trainer.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
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
import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.EvaluationAccumulator;
import io.edgeloop.trainer.train.Misclassified;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer evaluate}: runs a model package with ONNX Runtime — the engine the devices use — over a labelled
 * ImageFolder, preprocessed exactly as its model card says, and prints accuracy, per-class precision/recall/F1, the
 * confusion matrix and the worst mistakes (or all of it as JSON with {@code --json}). Class folders must be labels
 * of the model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model package (ONNX + model card) on a labelled ImageFolder with ONNX Runtime.")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = "Model package.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print the evaluation as JSON on stdout.")
    boolean json;

    @Option(names = "--worst", paramLabel = "N", defaultValue = "10",
            description = "Highest-confidence mistakes to list. Default: ${DEFAULT-VALUE}.")
    int worst;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + " does not exist or is not a file");
        }
        if (worst < 0) {
            throw new IllegalArgumentException("--worst is " + worst + ", allowed >= 0");
        }
        boolean hasCard = io.edgeloop.trainer.onnx.OnnxGraph.read(model).getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
        if (!hasCard) {
            throw new IllegalArgumentException("--model " + model + " has no model card (a plain ONNX model);"
                    + " evaluate takes the labels and preprocessing from a model package written by 'trainer fit'");
        }
        ModelCard card = ModelPackage.read(model).card();
        ImageFolder folder = ImageFolder.scanWithLabels(data.data, card.labels(), "data folder", "model's labels");
        ExecutorService pool = data.newPool();
        try {
            ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), card.preprocessing(),
                    DataConfig.DEFAULT_CACHE_BYTES);
            List<SkippedImage> skipped = new ArrayList<>();
            List<ImageSample> samples = DatasetLoader.decodeAll(folder.samples(), store,
                    ImageStore.Preparation.EVAL, pool, skipped);
            long fixedBatch = card.input().shape().get(0);
            int batchSize = fixedBatch > 0 ? (int) fixedBatch : data.batchSize();
            Evaluation evaluation = run(card, store, pool, samples, batchSize);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValueAsString(document(evaluation, skipped)));
            } else {
                print(out, evaluation, skipped);
            }
            out.flush();
            return ExitCodes.OK;
        } finally {
            DataOptions.shutdown(pool);
        }
    }

    private Evaluation run(ModelCard card, ImageStore store, ExecutorService pool, List<ImageSample> samples,
                           int batchSize) throws OrtException {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(card.labels(), samples, worst);
        BatchLoader loader = new BatchLoader(store, Augmentation.DEFAULT, pool);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int k = card.labels().size();
        int side = card.preprocessing().cropSize();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options);
             BatchLoader.BatchStream stream = loader.inOrder(samples, batchSize)) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                try (OnnxTensor input = OnnxTensor.createTensor(env, batch.pixels(),
                        new long[] {batch.size(), 3, side, side});
                     OrtSession.Result result = session.run(Map.of(card.input().name(), input))) {
                    float[][] scores = (float[][]) result.get(card.output().name()).orElseThrow(() ->
                            new IllegalArgumentException(model + ": the card's output '" + card.output().name()
                                    + "' is not produced by the graph")).getValue();
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

    private static Map<String, Object> document(Evaluation e, List<SkippedImage> skipped) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("images", e.images());
        doc.put("accuracy", e.accuracy());
        doc.put("loss", e.loss());
        doc.put("macroF1", e.macroF1());
        doc.put("labels", e.labels());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassMetrics c : e.perClass()) {
            perClass.add(Map.of("label", c.label(), "precision", c.precision(), "recall", c.recall(), "f1", c.f1(),
                    "support", c.support()));
        }
        doc.put("perClass", perClass);
        doc.put("confusionMatrix", e.confusion());
        List<Map<String, Object>> worst = new ArrayList<>();
        for (Misclassified m : e.worst()) {
            worst.add(Map.of("file", m.file().toString(), "trueLabel", m.trueLabel(), "predicted", m.predicted(),
                    "confidence", m.confidence()));
        }
        doc.put("worstMisclassified", worst);
        List<Map<String, Object>> skippedList = new ArrayList<>();
        skipped.forEach(s -> skippedList.add(Map.of("file", s.file().toString(), "reason", s.reason())));
        doc.put("skipped", skippedList);
        return doc;
    }

    private static void print(PrintWriter out, Evaluation e, List<SkippedImage> skipped) {
        out.printf(Locale.ROOT, "accuracy %.4f (%d images), loss %.4f, macro F1 %.4f%n", e.accuracy(), e.images(),
                e.loss(), e.macroF1());
        int width = Math.max(5, e.labels().stream().mapToInt(String::length).max().orElse(5));
        out.printf(Locale.ROOT, "%-" + width + "s  precision  recall  f1      images%n", "label");
        for (ClassMetrics c : e.perClass()) {
            out.printf(Locale.ROOT, "%-" + width + "s  %.4f     %.4f  %.4f  %d%n", c.label(), c.precision(),
                    c.recall(), c.f1(), c.support());
        }
        out.println("confusion matrix (rows: true, columns: predicted, in label order):");
        for (int[] row : e.confusion()) {
            StringBuilder b = new StringBuilder(" ");
            for (int v : row) {
                b.append(String.format(Locale.ROOT, " %5d", v));
            }
            out.println(b);
        }
        for (Misclassified m : e.worst()) {
            out.printf(Locale.ROOT, "mistake: %s is %s, predicted %s (%.3f)%n", m.file(), m.trueLabel(),
                    m.predicted(), m.confidence());
        }
        for (SkippedImage s : skipped) {
            out.printf(Locale.ROOT, "skipped: %s: %s%n", s.file(), s.reason());
        }
    }
}

package io.edgeloop.trainer.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.job.BasePreprocessing;
import io.edgeloop.trainer.job.EvaluateJob;
import io.edgeloop.trainer.job.EvaluateRequest;
import io.edgeloop.trainer.job.EvaluateResult;
import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.Misclassified;
import io.edgeloop.trainer.warning.AccuracyInterval;
import io.edgeloop.trainer.warning.RunWarning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer evaluate}: runs a model package with ONNX Runtime — the engine the devices use — over a labelled
 * ImageFolder, preprocessed exactly as its model card says, and prints accuracy, per-class precision/recall/F1, the
 * confusion matrix and the worst mistakes (or all of it as JSON with {@code --json}), with the accuracy's 95 %
 * Wilson interval; a set too small for a ±5-point interval gets a warning on stderr (and under {@code warnings} in
 * the JSON). Class folders must be labels of the model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model package (ONNX + model card), or a plain ONNX classifier with --labels, on"
                + " a labelled ImageFolder with ONNX Runtime.")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx",
            description = "Model package, or a plain ONNX classifier with --labels.")
    Path model;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "For a plain ONNX model: its class names, one per line, in output order.")
    Path labels;

    @Mixin
    PreprocessOptions preprocess;

    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print the evaluation as JSON on stdout.")
    boolean json;

    @Option(names = "--worst", paramLabel = "N", defaultValue = "10",
            description = "Highest-confidence mistakes to list. Default: ${DEFAULT-VALUE}.")
    int worst;

    @Override
    public Integer call() throws Exception {
        EvaluateRequest request = new EvaluateRequest(model, data.data, data.threads(), data.batchSizeIfGiven(),
                worst, Optional.ofNullable(labels), preprocess.declared());
        EvaluateResult result = new EvaluateJob().run(request);
        if (result.card().isEmpty() && request.preprocessing().isEmpty()) {
            spec.commandLine().getErr().println("notice: " + model + " has no model card; assumed torchvision"
                    + " ImageNet preprocessing (" + BasePreprocessing.describe(result.preprocessing()) + ")");
            spec.commandLine().getErr().println("notice: set " + BasePreprocessing.OPTIONS + " if it was trained"
                    + " otherwise");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = document(result.evaluation(), result.skipped());
            doc.put("calibration", calibration(result));
            doc.put("warnings", result.warnings().stream().map(RunWarning::toJson).toList());
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(doc));
        } else {
            print(out, result.evaluation(), result.skipped());
            out.println(calibrationLine(result));
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        result.warnings().forEach(w -> err.println(w.toText()));
        err.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> document(Evaluation e, List<SkippedImage> skipped) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("images", e.images());
        doc.put("accuracy", e.accuracy());
        if (e.images() > 0) {
            doc.put("accuracyInterval", AccuracyInterval.of(e).toJson());
        }
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

    /** {@code temperature}, {@code ece}, {@code bins} and, for logits, {@code eceUncalibrated} (temperature 1). */
    private static Map<String, Object> calibration(EvaluateResult result) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("temperature", result.temperature());
        doc.put("ece", result.reliability().ece());
        doc.put("eceUncalibrated", result.uncalibrated().map(ReliabilityDiagram::ece).orElse(null));
        doc.put("bins", result.reliability().bins().size());
        return doc;
    }

    /** e.g. {@code calibration: ECE 0.031 with the card's temperature 1.420 (0.084 at temperature 1), 15 bins}. */
    static String calibrationLine(EvaluateResult result) {
        String bins = result.reliability().bins().size() + " bins";
        if (result.uncalibrated().isEmpty()) {
            return String.format(Locale.ROOT, "calibration: ECE %.3f (the model outputs probabilities), %s",
                    result.reliability().ece(), bins);
        }
        return String.format(Locale.ROOT, "calibration: ECE %.3f with the card's temperature %.3f (%.3f at"
                + " temperature 1), %s", result.reliability().ece(), result.temperature(),
                result.uncalibrated().get().ece(), bins);
    }

    private static void print(PrintWriter out, Evaluation e, List<SkippedImage> skipped) {
        out.printf(Locale.ROOT, "accuracy %.4f (%d images), loss %.4f, macro F1 %.4f%n", e.accuracy(), e.images(),
                e.loss(), e.macroF1());
        if (e.images() > 0) {
            AccuracyInterval ci = AccuracyInterval.of(e);
            out.printf(Locale.ROOT, "accuracy 95 %% CI %.1f–%.1f %% (Wilson, %d of %d correct)%n", 100 * ci.low(),
                    100 * ci.high(), ci.correct(), ci.images());
        }
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

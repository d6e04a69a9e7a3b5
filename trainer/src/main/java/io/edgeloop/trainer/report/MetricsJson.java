package io.edgeloop.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.calibrate.LabelledScores;
import io.edgeloop.trainer.calibrate.PrecisionThresholds.ClassThreshold;
import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.ConfidenceHistogram;
import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.warning.AccuracyInterval;
import io.edgeloop.trainer.warning.RunWarning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code metrics.json}: the run in machine-readable form — final metrics, per class, confusion matrix
 * ({@code confusionMatrix[true][predicted]}), history, worst mistakes, skipped files, timings and settings, the
 * accuracy's 95 % Wilson interval ({@code final.accuracyInterval}), the {@code calibration} (temperature, ECE and
 * reliability bins before and after, per-class thresholds; {@code null} without validation images) and the run's
 * {@code warnings} (each with a stable {@code code}, {@code severity}, {@code message} and {@code advice}).
 * Non-finite numbers (no validation data, empty bins) are written as {@code null}. {@code trainingDistribution} is
 * what drift telemetry compares a fleet with: the training images per class ({@code trainClassCounts}) and the
 * validation images' top-1 confidence in the devices' ten bins ({@code validationConfidence}: {@code bins},
 * {@code mean}, {@code images}; {@code null} without validation data).
 */
public final class MetricsJson {

    /** The file name beside report.html. */
    public static final String FILE_NAME = "metrics.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private MetricsJson() {
    }

    /** The document as a tree of maps and lists (what is written). */
    public static Map<String, Object> document(RunSummary summary) {
        FitResult r = summary.result();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("labels", r.labels());
        Map<String, Object> strategy = new LinkedHashMap<>();
        strategy.put("requested", r.decision().requested().name().toLowerCase());
        strategy.put("chosen", r.decision().chosen().name().toLowerCase());
        strategy.put("medianImagesPerClass", r.decision().medianPerClass());
        strategy.put("reason", r.decision().reason());
        doc.put("strategy", strategy);
        doc.put("bestEpoch", r.bestEpoch());
        doc.put("epochsRun", r.history().size());
        doc.put("stoppedEarly", r.stoppedEarly());
        doc.put("resumedAfterEpoch", r.resumedAfterEpoch());
        doc.put("featureCache", r.featureCacheUsed());
        doc.put("trainImages", r.trainImages());
        doc.put("validationImages", r.validationImages());
        doc.put("datasetFingerprint", "sha256:" + r.datasetFingerprint());
        doc.put("baseModel", summary.baseModel().toString());
        doc.put("model", summary.modelFile().map(Path::toString).orElse(null));
        doc.put("warnings", summary.warnings().stream().map(RunWarning::toJson).toList());
        r.evaluation().ifPresentOrElse(e -> putEvaluation(doc, e), () -> doc.put("final", null));
        doc.put("calibration", summary.calibration().map(MetricsJson::calibration).orElse(null));
        List<Map<String, Object>> history = new ArrayList<>();
        for (EpochMetrics m : r.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", m.epoch());
            h.put("trainLoss", finite(m.trainLoss()));
            h.put("trainAccuracy", finite(m.trainAccuracy()));
            h.put("valLoss", finite(m.valLoss()));
            h.put("valAccuracy", finite(m.valAccuracy()));
            h.put("learningRate", m.learningRate());
            h.put("seconds", m.seconds());
            h.put("imagesPerSecond", m.imagesPerSecond());
            h.put("featureCache", m.featureCache());
            h.put("improved", m.improved());
            history.add(h);
        }
        doc.put("history", history);
        List<Map<String, Object>> skipped = new ArrayList<>();
        r.skipped().forEach(s -> skipped.add(Map.of("file", s.file().toString(), "reason", s.reason())));
        doc.put("skipped", skipped);
        Map<String, Object> timing = new LinkedHashMap<>();
        double epochSeconds = r.history().stream().mapToDouble(EpochMetrics::seconds).sum();
        timing.put("epochSecondsTotal", epochSeconds);
        timing.put("processSeconds", r.seconds());
        timing.put("meanImagesPerSecond",
                r.history().stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(0));
        doc.put("timing", timing);
        doc.put("config", r.config());
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("resize", summary.preprocessing().resize().name());
        pre.put("resizeSize", summary.preprocessing().resizeSize());
        pre.put("cropSize", summary.preprocessing().cropSize());
        pre.put("mean", summary.preprocessing().mean());
        pre.put("std", summary.preprocessing().std());
        doc.put("preprocessing", pre);
        if (!r.trainCounts().isEmpty()) {
            doc.put("trainingDistribution", trainingDistribution(r, summary.calibration()));
        }
        return doc;
    }

    /**
     * The training class mix and the validation top-1 confidence; with a fitted calibration the confidence is of the
     * temperature-scaled scores, as the devices report theirs ({@code temperature} says which).
     */
    private static Map<String, Object> trainingDistribution(FitResult r, Optional<Calibration> calibration) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (int i = 0; i < r.labels().size(); i++) {
            counts.put(r.labels().get(i), r.trainCounts().get(i));
        }
        Map<String, Object> distribution = new LinkedHashMap<>();
        distribution.put("trainClassCounts", counts);
        ConfidenceHistogram h = r.evaluation().map(Evaluation::confidence).orElse(ConfidenceHistogram.NONE);
        double temperature = 1.0;
        Optional<Calibration> fitted = calibration.filter(Calibration::fitted);
        if (fitted.isPresent() && r.validationScores().isPresent()) {
            LabelledScores scores = r.validationScores().get();
            temperature = fitted.get().temperature();
            h = ConfidenceHistogram.ofProbabilities(scores.probabilities(temperature), scores.classes());
        }
        if (h.images() > 0) {
            Map<String, Object> confidence = new LinkedHashMap<>();
            confidence.put("temperature", temperature);
            confidence.put("bins", h.bins());
            confidence.put("mean", h.mean());
            confidence.put("images", h.images());
            distribution.put("validationConfidence", confidence);
        } else {
            distribution.put("validationConfidence", null);
        }
        return distribution;
    }

    private static void putEvaluation(Map<String, Object> doc, Evaluation e) {
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("accuracy", e.accuracy());
        fin.put("loss", e.loss());
        fin.put("macroF1", e.macroF1());
        fin.put("images", e.images());
        if (e.images() > 0) {
            fin.put("accuracyInterval", AccuracyInterval.of(e).toJson());
        }
        doc.put("final", fin);
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassMetrics c : e.perClass()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", c.label());
            m.put("precision", c.precision());
            m.put("recall", c.recall());
            m.put("f1", c.f1());
            m.put("support", c.support());
            perClass.add(m);
        }
        doc.put("perClass", perClass);
        doc.put("confusionMatrix", e.confusion());
        List<Map<String, Object>> worst = new ArrayList<>();
        e.worst().forEach(w -> worst.add(Map.of("file", w.file().toString(), "trueLabel", w.trueLabel(),
                "predicted", w.predicted(), "confidence", w.confidence())));
        doc.put("worstMisclassified", worst);
    }

    private static Map<String, Object> calibration(Calibration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", c.temperature());
        m.put("fitted", c.fitted());
        m.put("notFitted", c.notFitted().orElse(null));
        m.put("images", c.images());
        m.put("bins", c.bins());
        m.put("nllBefore", finite(c.nllBefore()));
        m.put("nllAfter", finite(c.nllAfter()));
        m.put("eceBefore", c.before().ece());
        m.put("eceAfter", c.after().ece());
        m.put("reliabilityBefore", bins(c.before()));
        m.put("reliabilityAfter", bins(c.after()));
        m.put("targetPrecision", c.targetPrecision());
        List<Map<String, Object>> thresholds = new ArrayList<>();
        for (ClassThreshold t : c.thresholds()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", t.label());
            row.put("threshold", t.threshold().isPresent() ? t.threshold().getAsDouble() : null);
            row.put("predicted", t.predicted());
            row.put("kept", t.kept());
            row.put("precision", finite(t.precision()));
            row.put("recall", t.recall());
            row.put("support", t.support());
            thresholds.add(row);
        }
        m.put("thresholds", thresholds);
        return m;
    }

    private static List<Map<String, Object>> bins(ReliabilityDiagram d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReliabilityDiagram.Bin b : d.bins()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("lower", b.lower());
            row.put("upper", b.upper());
            row.put("count", b.count());
            row.put("confidence", finite(b.confidence()));
            row.put("accuracy", finite(b.accuracy()));
            out.add(row);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Writes {@code outDir/metrics.json}. */
    public static Path write(RunSummary summary, Path outDir) throws IOException {
        Path file = outDir.resolve(FILE_NAME);
        Files.write(file, JSON.writeValueAsBytes(document(summary)));
        return file;
    }
}

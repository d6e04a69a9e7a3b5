package io.edgeloop.trainer.job;

import io.edgeloop.protocol.digest.Sha256;
import ai.onnx.proto.OnnxMl;

import io.edgeloop.protocol.model.BaseModel;
import io.edgeloop.protocol.model.ClassThresholds;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.export.ExportVerifier;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.train.FitResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ModelExporter}: the ONNX exporter writes the trained graph, ONNX Runtime checks it against
 * DJL on random images (a mismatch is a failure, nothing is written), and the model card — labels, input,
 * preprocessing, outputs, base model, training-data fingerprint, validation metrics, strategy, and the calibration
 * (temperature, per-class thresholds, ECE before and after as metrics {@code val_ece_uncalibrated} and
 * {@code val_ece}, a {@code calibration} note) — goes into its metadata. The graph keeps its raw {@code logits}
 * and their plain softmax {@code probabilities}: the card's output is the logits, and consumers divide them by the
 * card's temperature before their softmax (so the temperature is applied once, by the consumer). Writes
 * {@code outDir/model.onnx}.
 */
public final class OnnxModelExporter implements ModelExporter {

    /** The package's file name inside the output folder. */
    public static final String FILE_NAME = "model.onnx";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModelExporter.class);

    @Override
    public Path export(ClassifierNetwork network, Path base, PreprocessSpec preprocessing, FitResult result,
                       String name, String version, Optional<Calibration> calibration, Path outDir)
            throws IOException {
        if (!(network instanceof OnnxClassifierNetwork onnx)) {
            throw new IllegalArgumentException("the ONNX exporter needs an ONNX-imported network, got "
                    + network.getClass().getSimpleName());
        }
        OnnxMl.ModelProto model = OnnxExporter.export(onnx);
        ExportVerifier.Result check = ExportVerifier.requirePassing(model, onnx, result.config().seed(), "model");
        LOG.info("{}", check);
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.evaluation().ifPresent(e -> {
            metrics.put("val_accuracy", e.accuracy());
            metrics.put("val_loss", e.loss());
            metrics.put("val_macro_f1", e.macroF1());
        });
        calibration.ifPresent(c -> {
            metrics.put("val_ece_uncalibrated", c.before().ece());
            metrics.put("val_ece", c.after().ece());
        });
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("trainer", "edgeloop trainer 0.1.0");
        notes.put("strategy", result.decision().chosen().name().toLowerCase() + " (" + result.decision().reason()
                + ")");
        notes.put("epochs", result.history().size() + " run, best " + result.bestEpoch());
        notes.put("export_check", check.toString());
        notes.putAll(BaseLineage.notes(base, name));
        notes.put("calibration", calibration.map(Calibration::summary)
                .orElse("temperature 1 (not fitted: no validation images)"));
        OnnxExporter.precisionNote(onnx, model).ifPresent(note -> {
            notes.put("precision", note);
            LOG.info("{}", note);
        });
        ModelCard card;
        try {
            card = ModelCard.builder().setName(name).setVersion(version)
                    .setCreated(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .setLabels(result.labels())
                    .setInput(InputSpec.square(onnx.graph().inputName(), onnx.imageSize()))
                    .setPreprocessing(preprocessing)
                    .setOutput(new OutputSpec(OutputKind.LOGITS, OnnxExporter.LOGITS, OnnxExporter.PROBABILITIES))
                    .optTemperature(calibration.map(Calibration::temperature).orElse(1.0))
                    .optThresholds(calibration.filter(Calibration::fitted)
                            .map(c -> new ClassThresholds(c.targetPrecision(), c.reachedThresholds())).orElse(null))
                    .optBaseModel(new BaseModel(ModelNames.baseName(base), Sha256.hex(base)))
                    .optTrainingData("sha256:" + result.datasetFingerprint())
                    .optMetrics(metrics)
                    .optNotes(notes)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model card: " + e.getMessage(), e);
        }
        try {
            return ModelPackage.write(model, card, outDir.resolve(FILE_NAME)).file();
        } catch (ModelPackageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}

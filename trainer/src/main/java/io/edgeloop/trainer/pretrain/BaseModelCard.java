package io.edgeloop.trainer.pretrain;

import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FitResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The model card of the pretrained base model: source labels, preprocessing, source-task test figures as metrics,
 * and how it was made (architecture, seed, epochs, time, command) as notes. The exported graph has the
 * {@code logits} and {@code probabilities} outputs of the trainer's exporter.
 */
public final class BaseModelCard {

    private BaseModelCard() {
    }

    /** Builds the card; the base model is not derived from another one, so it has no {@code baseModel}. */
    public static ModelCard of(String name, ArchSpec arch, PreprocessSpec spec, Dataset data, FitResult fit,
                               Evaluation sourceTest, PixelStatistics pixels, String command) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("source_test_accuracy", sourceTest.accuracy());
        metrics.put("source_test_loss", sourceTest.loss());
        metrics.put("source_test_macro_f1", sourceTest.macroF1());
        metrics.put("source_test_images", (double) sourceTest.images());
        metrics.put("source_train_images", (double) fit.trainImages());
        metrics.put("epochs", (double) fit.history().size());
        metrics.put("best_epoch", (double) fit.bestEpoch());
        metrics.put("train_seconds", Math.rint(fit.seconds() * 10) / 10);
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("task", "Fashion-MNIST source task: the six clothing classes (labels 0-5); pretrained from"
                + " random initialisation");
        notes.put("architecture", arch.toJson());
        notes.put("seed", Long.toString(arch.seed()));
        notes.put("normalisation", String.format(Locale.ROOT,
                "mean %.4f, std %.4f of the %d source training images (0-1 scale)", pixels.mean(), pixels.std(),
                pixels.images()));
        notes.put("fit", String.format(Locale.ROOT, "AdamW lr %s cosine, batch %d, %d epochs, no augmentation,"
                        + " kept epoch %d", fit.config().learningRate(), fit.config().batchSize(),
                fit.config().epochs(), fit.bestEpoch()));
        notes.put("command", command);
        return ModelCard.builder()
                .setName(name)
                .setVersion("1")
                .setCreated(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setLabels(data.labels())
                .setInput(InputSpec.square(ArchitectureOnnx.INPUT_NAME, arch.imageSize()))
                .setPreprocessing(spec)
                .setOutput(new OutputSpec(OutputKind.LOGITS, "logits", "probabilities"))
                .optTrainingData("sha256:" + data.fingerprint())
                .optMetrics(metrics)
                .optNotes(notes)
                .build();
    }
}

package io.edgeloop.trainer.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.report.MetricsJson;
import io.edgeloop.trainer.report.RunSummary;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.EvaluationAccumulator;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.StrategyChooser;
import io.edgeloop.protocol.mqtt.PredictionStats;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.calibrate.Calibrator;
import io.edgeloop.trainer.calibrate.LabelledScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training distribution a run records in metrics.json (training images per class, the validation set's
 * top-1 confidence in the devices' bins) and reads back as a fleet report's reference.
 */
class TrainingDistributionTest {

    private static final ModelRef MODEL = ModelRef.of("ab", "1");

    private static FitResult result(Optional<Evaluation> evaluation, List<Integer> trainCounts) {
        return new FitResult(FitConfig.builder().epochs(2).build(),
                StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {3, 2}), List.of("a", "b"), 5, 5, List.of(),
                "ab12", List.of(), 1, false, 0, evaluation, false, 1.0, Optional.empty(), trainCounts);
    }

    private static Path write(Path dir, FitResult result) throws Exception {
        return MetricsJson.write(new RunSummary(result, Path.of("base.onnx"), dir, PreprocessSpec.imagenet(36, 32),
                Optional.empty()), dir);
    }

    @Test
    void validationConfidenceIsBinnedAsDevicesBinItAndReadBack(@TempDir Path dir) throws Exception {
        List<ImageSample> samples = List.of(
                new ImageSample(Path.of("a0"), "a/0", 0), new ImageSample(Path.of("a1"), "a/1", 0),
                new ImageSample(Path.of("a2"), "a/2", 0), new ImageSample(Path.of("b0"), "b/0", 1),
                new ImageSample(Path.of("b1"), "b/1", 1));
        EvaluationAccumulator acc = new EvaluationAccumulator(List.of("a", "b"), samples, 0);
        acc.add(new float[] {0.95f, 0.05f, 0.35f, 0.65f, 0.15f, 0.85f}, new int[] {0, 0, 0}, new int[] {0, 1, 2});
        acc.add(new float[] {0.25f, 0.75f, 0.55f, 0.45f}, new int[] {1, 1}, new int[] {3, 4});
        Evaluation e = acc.result();
        // top-1 confidences 0.95, 0.65, 0.85, 0.75 and 0.55, right or wrong
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L, 1L), e.confidence().bins());
        assertEquals(0.75, e.confidence().mean(), 1e-6);

        Path file = write(dir, result(Optional.of(e), List.of(3, 2)));
        var tree = new ObjectMapper().readTree(file.toFile()).get("trainingDistribution");
        assertEquals(3, tree.get("trainClassCounts").get("a").asInt());
        assertEquals(5, tree.get("validationConfidence").get("images").asInt());

        TrainingDistribution d = TrainingDistribution.read(file, MODEL, 1.0);
        assertEquals(List.of("a", "b"), d.labels());
        assertEquals(List.of(3L, 2L), d.trainCounts());
        assertEquals(e.confidence().bins(), d.confidenceBins());
        assertEquals(0.75, d.meanConfidence(), 1e-6);
        assertEquals(5, d.validationImages());
        assertEquals(0.6, d.classShares()[0], 1e-12);
    }

    @Test
    void withACalibrationTheValidationBinsAreOfTheScaledScoresAsDevicesReportThem(@TempDir Path dir)
            throws Exception {
        // 40 over-confident images: logits ±4, a quarter of them wrong, so the fitted temperature is well above 1
        LabelledScores.Builder scores = new LabelledScores.Builder(2);
        for (int i = 0; i < 40; i++) {
            int truth = i % 2;
            int top = i % 4 == 3 ? 1 - truth : truth;
            float[] logits = top == 0 ? new float[] {4f, -4f} : new float[] {-4f, 4f};
            scores.add(logits, new int[] {truth});
        }
        LabelledScores validation = scores.build();
        Calibration calibration = Calibrator.DEFAULT.calibrate(validation, List.of("a", "b"));
        assertTrue(calibration.fitted() && calibration.temperature() > 2, calibration.summary());
        FitResult fit = new FitResult(FitConfig.builder().epochs(2).build(),
                StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {3, 2}), List.of("a", "b"), 5, 5, List.of(),
                "ab12", List.of(), 1, false, 0, Optional.empty(), false, 1.0, Optional.of(validation),
                List.of(3, 2));
        Path file = MetricsJson.write(new RunSummary(fit, Path.of("base.onnx"), dir, PreprocessSpec.imagenet(36, 32),
                Optional.empty(), List.of(), Optional.of(calibration)), dir);

        double t = calibration.temperature();
        double top = 1 / (1 + Math.exp(-8 / t)); // every image's top-1 at T
        TrainingDistribution d = TrainingDistribution.read(file, MODEL, t);
        assertEquals(40, d.validationImages());
        assertEquals(top, d.meanConfidence(), 1e-6);
        assertEquals(40L, d.confidenceBins().get(PredictionStats.bin((float) top)), d.confidenceBins().toString());
        assertEquals(t, d.binsTemperature(), 1e-12);
        assertFalse(d.binsAtOtherTemperature());

        // an older run's metrics.json has no temperature: its bins are of the raw softmax
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(file.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("trainingDistribution")
                .get("validationConfidence")).remove("temperature");
        Files.writeString(file, tree.toString());
        TrainingDistribution older = TrainingDistribution.read(file, MODEL, t);
        assertEquals(1.0, older.binsTemperature());
        assertTrue(older.binsAtOtherTemperature());
    }

    @Test
    void withoutValidationTheConfidenceIsUnknown(@TempDir Path dir) throws Exception {
        TrainingDistribution d = TrainingDistribution.read(write(dir, result(Optional.empty(), List.of(3, 2))),
                MODEL, 1.0);
        assertFalse(d.hasConfidence());
        assertEquals(List.of(3L, 2L), d.trainCounts());
    }

    @Test
    void anOlderRunWithoutADistributionIsAClearError(@TempDir Path dir) throws Exception {
        Path file = write(dir, result(Optional.empty(), List.of()));
        assertFalse(Files.readString(file).contains("trainingDistribution"));
        assertEquals(file + " has no trainingDistribution.trainClassCounts (runs trained before drift telemetry"
                + " lack it: fit again, or compare against another version)", assertThrows(
                IllegalArgumentException.class, () -> TrainingDistribution.read(file, MODEL, 1.0)).getMessage());
        Files.writeString(file, "{\"trainingDistribution\":");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> TrainingDistribution.read(file, MODEL, 1.0));
        assertTrue(broken.getMessage().startsWith(file + " is not valid JSON: Unexpected end-of-input"),
                broken.getMessage());
    }
}

package io.edgeloop.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.calibrate.Calibrator;
import io.edgeloop.trainer.calibrate.LabelledScores;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.Misclassified;
import io.edgeloop.trainer.train.StrategyChooser;
import io.edgeloop.trainer.warning.RunWarning;
import io.edgeloop.trainer.warning.WarningCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static RunSummary summary(Path dir, Optional<Evaluation> evaluation) {
        List<EpochMetrics> history = List.of(
                new EpochMetrics(1, 1.2, 0.4, 1.0, 0.5, 1e-3, 2.0, 50, false, true),
                new EpochMetrics(2, 0.8, 0.7, 0.9, 0.75, 5e-4, 1.5, 64, false, true));
        FitResult result = new FitResult(FitConfig.builder().epochs(2).build(),
                StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {3, 5}), List.of("<cat>", "dog"), 8, 4,
                List.of(new SkippedImage(dir.resolve("dog/bad.png"), "corrupt PNG: truncated")), "ab12", history, 2,
                false, 0, evaluation, false, 4.2);
        return new RunSummary(result, Path.of("base.onnx"), dir, PreprocessSpec.imagenet(36, 32), Optional.empty());
    }

    @Test
    void htmlIsSelfContainedWithEverySectionAndTheMistakeThumbnails(@TempDir Path dir) throws Exception {
        TestImages.writeDataset(dir, new String[] {"cat"}, new int[] {1}, 40, 1);
        Path wrong = dir.resolve("cat/img000.jpg");
        Evaluation evaluation = new Evaluation(List.of("<cat>", "dog"), 4, 0.75, 0.5,
                List.of(new ClassMetrics("<cat>", 1, 0.5, 2.0 / 3, 2), new ClassMetrics("dog", 2.0 / 3, 1, 0.8, 2)),
                new int[][] {{1, 1}, {0, 2}}, List.of(new Misclassified(wrong, "<cat>", "dog", 0.91)));
        Path file = HtmlReport.write(summary(dir, Optional.of(evaluation)), dir);
        String html = Files.readString(file);
        for (String id : List.of("strategy", "curves", "confusion", "per-class", "mistakes", "skipped", "timings",
                "settings")) {
            assertTrue(html.contains("id=\"" + id + "\""), id);
        }
        assertFalse(html.contains("<cat>"), "labels are escaped");
        assertTrue(html.contains("&lt;cat&gt;"));
        assertTrue(html.contains("auto: median 4 training images per class in 1..200 → partial fine-tuning"));
        assertTrue(html.contains("corrupt PNG: truncated"));
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "no external resources");
        Matcher images = Pattern.compile("src=\"data:image/png;base64,").matcher(html);
        int count = 0;
        while (images.find()) {
            count++;
        }
        assertEquals(3, count, "two charts and one mistake thumbnail");
        assertTrue(html.contains("<b>dog</b> 91.0 %<br>true: &lt;cat&gt;"));
    }

    @Test
    void metricsJsonIsMachineReadableAndNullsWhatIsUnknown(@TempDir Path dir) throws Exception {
        Path file = MetricsJson.write(summary(dir, Optional.empty()), dir);
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
        assertTrue(doc.get("final").isNull());
        assertEquals("partial", doc.get("strategy").get("chosen").asText());
        assertEquals("auto", doc.get("strategy").get("requested").asText());
        assertEquals(2, doc.get("history").size());
        assertEquals(0.75, doc.get("history").get(1).get("valAccuracy").asDouble());
        assertEquals("sha256:ab12", doc.get("datasetFingerprint").asText());
        assertEquals(3.5, doc.get("timing").get("epochSecondsTotal").asDouble(), 1e-12);
        assertEquals(2, doc.get("config").get("epochs").asInt());
        assertEquals("corrupt PNG: truncated", doc.get("skipped").get(0).get("reason").asText());
    }

    @Test
    void warningsAndTheAccuracyIntervalAreInBothFiles(@TempDir Path dir) throws Exception {
        Evaluation evaluation = new Evaluation(List.of("<cat>", "dog"), 4, 0.75, 0.5,
                List.of(new ClassMetrics("<cat>", 1, 0.5, 2.0 / 3, 2), new ClassMetrics("dog", 2.0 / 3, 1, 0.8, 2)),
                new int[][] {{1, 1}, {0, 2}}, List.of());
        RunSummary plain = summary(dir, Optional.of(evaluation));
        List<RunWarning> warnings = List.of(
                new RunWarning(WarningCode.RANDOM_BASE, "base.onnx is <random>", "pull a base"),
                new RunWarning(WarningCode.COLOUR_BASE_GREY_DATA, "all grey", "nothing"));
        RunSummary summary = new RunSummary(plain.result(), plain.baseModel(), plain.dataDir(),
                plain.preprocessing(), plain.modelFile(), warnings);
        String html = HtmlReport.render(summary);
        assertTrue(html.contains("<div class=\"warning\" data-code=\"random-base\"><b>warning (random-base)</b>:"
                + " base.onnx is &lt;random&gt;.<br>What to do: pull a base.</div>"), html);
        assertTrue(html.contains("<div class=\"info\" data-code=\"colour-base-grey-data\">"), html);
        assertTrue(html.indexOf("id=\"warnings\"") < html.indexOf("id=\"strategy\""), "warnings come first");
        // 3 of 4 correct: Wilson's 95 % interval is 30.1–95.4 %
        assertTrue(html.contains("<b>30.1–95.4 %</b>95 % interval (n=4)"), html);
        assertTrue(html.contains("accuracy 75.0 % (95 % CI 30.1–95.4 %)"), html);
        assertTrue(HtmlReport.render(plain).contains("<h2 id=\"warnings\">Warnings</h2>\n<p>None:"));

        JsonNode doc = new ObjectMapper().readTree(MetricsJson.write(summary, dir).toFile());
        assertEquals(2, doc.get("warnings").size());
        JsonNode first = doc.get("warnings").get(0);
        assertEquals("random-base", first.get("code").asText());
        assertEquals("warning", first.get("severity").asText());
        assertEquals("base.onnx is <random>", first.get("message").asText());
        assertEquals("pull a base", first.get("advice").asText());
        assertEquals("info", doc.get("warnings").get(1).get("severity").asText());
        JsonNode ci = doc.get("final").get("accuracyInterval");
        assertEquals(3, ci.get("correct").asInt());
        assertEquals(4, ci.get("images").asInt());
        assertEquals(0.3006418, ci.get("low").asDouble(), 1e-6);
        assertEquals(0.9544127, ci.get("high").asDouble(), 1e-6);
        assertEquals(0.95, ci.get("confidence").asDouble());
        assertEquals(0, new ObjectMapper().readTree(MetricsJson.write(plain, dir).toFile()).get("warnings").size());
    }

    /** Overconfident scores for the two labels: 40 images, each class right 3 in 4 times, always scoring ±4. */
    static LabelledScores overconfident(int images) {
        float[] logits = new float[images * 2];
        int[] truth = new int[images];
        for (int i = 0; i < images; i++) {
            int predicted = i % 2;
            logits[2 * i + predicted] = 4;
            logits[2 * i + 1 - predicted] = -4;
            truth[i] = i % 8 >= 6 ? 1 - predicted : predicted;
        }
        return new LabelledScores(2, logits, truth);
    }

    @Test
    void calibrationShowsTheTemperatureBothReliabilityDiagramsAndTheThresholds(@TempDir Path dir) throws Exception {
        Evaluation evaluation = new Evaluation(List.of("<cat>", "dog"), 40, 0.75, 0.5,
                List.of(new ClassMetrics("<cat>", 0.75, 0.75, 0.75, 20), new ClassMetrics("dog", 0.75, 0.75, 0.75,
                        20)), new int[][] {{15, 5}, {5, 15}}, List.of());
        RunSummary plain = summary(dir, Optional.of(evaluation));
        Calibration c = new Calibrator(15, 0.7).calibrate(overconfident(40), List.of("<cat>", "dog"));
        RunSummary summary = new RunSummary(plain.result(), plain.baseModel(), plain.dataDir(),
                plain.preprocessing(), plain.modelFile(), List.of(), Optional.of(c));
        String html = HtmlReport.render(summary);
        assertTrue(html.contains("id=\"calibration\""), html);
        assertTrue(html.indexOf("id=\"per-class\"") < html.indexOf("id=\"calibration\""));
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "Temperature <b>%.3f</b>, fitted on 40"
                + " validation images", c.temperature())), html);
        assertTrue(html.contains("alt=\"reliability before calibration\"") && html.contains(
                "alt=\"reliability after calibration\""), html);
        // every image of a class has the same score: precision 0.75 reaches 0.7 at that score
        assertTrue(html.matches("(?s).*<tr><td class=\"l\">dog</td><td>0\\.\\d{4}</td><td>20</td><td>20</td>"
                + "<td>0\\.7500</td><td>0\\.7500</td></tr>.*"), html);
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "no external resources");

        JsonNode doc = new ObjectMapper().readTree(MetricsJson.write(summary, dir).toFile());
        JsonNode cal = doc.get("calibration");
        assertEquals(c.temperature(), cal.get("temperature").asDouble(), 1e-12);
        assertTrue(cal.get("fitted").asBoolean());
        assertEquals(15, cal.get("bins").asInt());
        assertEquals(15, cal.get("reliabilityAfter").size());
        assertTrue(cal.get("eceAfter").asDouble() < cal.get("eceBefore").asDouble(), cal.toString());
        assertTrue(cal.get("reliabilityBefore").get(0).get("accuracy").isNull(), "an empty bin has no accuracy");
        assertEquals(0.7, cal.get("targetPrecision").asDouble());
        assertEquals("dog", cal.get("thresholds").get(1).get("label").asText());
        assertEquals(20, cal.get("thresholds").get(1).get("kept").asInt());
    }

    @Test
    void aValidationSetTooSmallToCalibrateSaysSoInTheReport(@TempDir Path dir) throws Exception {
        Evaluation evaluation = new Evaluation(List.of("<cat>", "dog"), 4, 0.75, 0.5,
                List.of(new ClassMetrics("<cat>", 1, 0.5, 2.0 / 3, 2), new ClassMetrics("dog", 2.0 / 3, 1, 0.8, 2)),
                new int[][] {{1, 1}, {0, 2}}, List.of());
        RunSummary plain = summary(dir, Optional.of(evaluation));
        Calibration c = Calibrator.DEFAULT.calibrate(overconfident(4), List.of("<cat>", "dog"));
        String html = HtmlReport.render(new RunSummary(plain.result(), plain.baseModel(), plain.dataDir(),
                plain.preprocessing(), plain.modelFile(), List.of(), Optional.of(c)));
        assertTrue(html.contains("<div class=\"info\" data-code=\"calibration-not-fitted\"><b>not calibrated</b>:"
                + " 4 validation images, at least 20 needed, so the temperature stays 1 and no per-class thresholds"
                + " are suggested."), html);
        assertFalse(html.contains("reliability after calibration"), html);
    }
}

package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration on a real model: {@code trainer fit} of the committed base on the committed target-task sample
 * (160 training images, a quarter held out for validation: 40 images fit the temperature), then
 * {@code trainer evaluate} of the exported package with ONNX Runtime on the sample's 400 test images, which neither
 * training nor calibration saw. The card's temperature must lower the ECE there.
 */
class CalibrationOnSampleTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Pattern LINE = Pattern.compile("calibration: temperature (\\d+\\.\\d{3}), ECE (\\d\\.\\d{3}) → "
            + "(\\d\\.\\d{3}) \\(40 validation images, 15 bins\\)");

    @Test
    void theFittedTemperatureLowersTheEceOnHeldOutImages(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", ROOT.resolve("models/base/model.onnx").toString(), "--data",
                ROOT.resolve("data/fashion-mnist-target/train").toString(), "--val-fraction", "0.25", "--out",
                out.toString(), "--strategy", "partial", "--epochs", "6", "--no-augment", "--threads", "2",
                "--seed", "3");
        assertEquals(0, fit.code(), fit.err());
        Matcher line = LINE.matcher(fit.out());
        assertTrue(line.find(), fit.out());
        double temperature = Double.parseDouble(line.group(1));
        assertTrue(Double.parseDouble(line.group(3)) < Double.parseDouble(line.group(2)), line.group());

        Path model = out.resolve("model.onnx");
        ModelCard card = ModelPackage.read(model).card();
        assertNotEquals(1.0, card.temperature());
        // the graph keeps raw logits and the card points at them: whoever reads the card applies T, once
        assertEquals(OutputKind.LOGITS, card.output().kind());
        assertEquals("logits", card.output().name());
        assertEquals(temperature, card.temperature(), 5e-4);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("calibration");
        assertEquals(card.temperature(), metrics.get("temperature").asDouble(), 1e-12);
        assertEquals(0.9, card.thresholds().targetPrecision());
        assertEquals(metrics.get("eceAfter").asDouble(), card.metrics().get("val_ece"), 1e-12);
        for (JsonNode t : metrics.get("thresholds")) {
            Double inCard = card.thresholds().perClass().get(t.get("label").asText());
            assertEquals(t.get("threshold").isNull() ? null : t.get("threshold").asDouble(), inCard,
                    t.get("label").asText());
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("alt=\"reliability after calibration\""));

        Run evaluate = Run.of("evaluate", "--model", model.toString(), "--data",
                ROOT.resolve("data/fashion-mnist-target/test").toString(), "--threads", "2", "--json");
        assertEquals(0, evaluate.code(), evaluate.err());
        JsonNode held = new ObjectMapper().readTree(evaluate.out()).get("calibration");
        double calibrated = held.get("ece").asDouble();
        double uncalibrated = held.get("eceUncalibrated").asDouble();
        System.out.printf("calibration of the committed sample: T = %.3f; validation (40 images) ECE %s → %s;"
                + " held-out test (400 images) ECE %.4f at T = 1 → %.4f at T = %.3f; thresholds %s%n",
                card.temperature(), line.group(2), line.group(3), uncalibrated, calibrated, card.temperature(),
                card.thresholds().perClass());
        assertEquals(card.temperature(), held.get("temperature").asDouble(), 1e-12);
        assertTrue(calibrated < uncalibrated, "held-out ECE " + uncalibrated + " at T = 1, " + calibrated
                + " at T = " + card.temperature());
        Run text = Run.of("evaluate", "--model", model.toString(), "--data",
                ROOT.resolve("data/fashion-mnist-target/test").toString(), "--threads", "2");
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "calibration: ECE %.3f with the card's"
                + " temperature %.3f (%.3f at temperature 1), 15 bins%n", calibrated, card.temperature(),
                uncalibrated)), text.out());
    }
}

package io.edgeloop.trainer.cli;

import static io.edgeloop.trainer.fleet.FleetTelemetry.CONFIDENT;
import static io.edgeloop.trainer.fleet.FleetTelemetry.EVEN;
import static io.edgeloop.trainer.fleet.FleetTelemetry.T0;
import static io.edgeloop.trainer.fleet.FleetTelemetry.UNSURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.model.TinyClassifierOnnx;
import io.edgeloop.protocol.mqtt.CameraMetrics;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.fleet.FleetTelemetry;
import io.edgeloop.trainer.fleet.TelemetryLine;
import io.edgeloop.trainer.fleet.TelemetryLog;
import io.edgeloop.trainer.fleet.TrainingDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer fleet report} on recorded telemetry: text within 80 columns, JSON, registry, bad input. */
class FleetCommandTest {

    private static final double[] CANS = {0.1, 0.7, 0.1, 0.1};

    @TempDir
    static Path dir;
    static Path model;
    static Path work;

    @BeforeAll
    static void fleet() throws Exception {
        model = writeVersion(dir.resolve("runs/v2"), "2");
        writeVersion(dir.resolve("models/shelves/2"), "2");
        work = dir.resolve("loop");
        TelemetryLog log = new TelemetryLog(work.resolve(TelemetryLog.FOLDER), TelemetryLog.DEFAULT_MAX_BYTES);
        FleetTelemetry t = new FleetTelemetry(5);
        List<TelemetryLine> lines = new ArrayList<>();
        for (int hour = 0; hour < 3; hour++) {
            Instant start = T0.plus(Duration.ofHours(hour));
            lines.addAll(t.camera("gate-01", "front", start, 60, 20, EVEN, CONFIDENT));
            lines.addAll(t.camera("gate-01", "back", start, 60, 20, hour < 2 ? EVEN : CANS, CONFIDENT));
            lines.addAll(t.camera("gate-02", "yard", start, 60, 20, EVEN, hour < 2 ? CONFIDENT : UNSURE));
        }
        lines.add(new TelemetryLine(T0.plusSeconds(59), "gate-03", "old", t.minute(ModelRef.of("shelves", "1"), 30,
                EVEN, CONFIDENT)));
        for (TelemetryLine line : lines) {
            log.append(new DeviceMetrics(1, line.device(), line.at(), 60, List.of(new CameraMetrics(line.camera(),
                    1, 60, 0, 0, 5, 8, line.predictions())), 0, 0.1, 1000, 0, 0, 0, 0));
        }
        Files.writeString(work.resolve("telemetry/gate-01/front.jsonl"), "{\"at\":\"2026-12-07T12:00:00Z\",\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** A model package (shelves VERSION) with a metrics.json holding the reference of {@link FleetTelemetry}. */
    private static Path writeVersion(Path folder, String version) throws Exception {
        Files.createDirectories(folder);
        ModelCard card = ModelCard.builder().setName("shelves").setVersion(version)
                .setCreated(Instant.parse("2026-12-01T10:00:00Z")).setLabels(FleetTelemetry.LABELS)
                .setInput(InputSpec.square("image", 8)).setPreprocessing(PreprocessSpec.imagenet(9, 8))
                .setOutput(OutputSpec.logits("logits")).build();
        Path file = folder.resolve("model.onnx");
        ModelPackage.write(TinyClassifierOnnx.classifier(4), card, file);
        TrainingDistribution ref = FleetTelemetry.reference();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (int i = 0; i < ref.labels().size(); i++) {
            counts.put(ref.labels().get(i), ref.trainCounts().get(i));
        }
        Map<String, Object> metrics = Map.of("labels", ref.labels(), "trainingDistribution", Map.of(
                "trainClassCounts", counts, "validationConfidence", Map.of("bins", ref.confidenceBins(), "mean",
                        ref.meanConfidence(), "images", ref.validationImages())));
        Files.write(folder.resolve("metrics.json"), new ObjectMapper().writeValueAsBytes(metrics));
        return file;
    }

    @Test
    void textReportFlagsTheChangedCamerasWithinEightyColumns() {
        Run run = Run.of("fleet", "report", "--dir", work.toString(), "--model", model.toString());
        assertEquals(0, run.code(), run.err());
        String out = run.out();
        System.out.println(out); // the sample in docs/fleet.md
        for (String line : out.split("\n")) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
        assertTrue(out.startsWith("Fleet drift: 3 cameras, 2 need attention: gate-01/back, gate-02/yard\n"
                + "Reference: shelves 2 (200 training images, 200 validation)\n"), out);
        assertTrue(out.contains("\ngate-01/front: ok (latest judged window 12-07 11:00)\n"), out);
        assertTrue(out.contains("\ngate-01/back: NEEDS ATTENTION (window 12-07 11:00)\n  ! class mix JSD 0.1"), out);
        assertTrue(out.contains("\ngate-02/yard: NEEDS ATTENTION (window 12-07 11:00)\n  ! mean confidence 0.5"),
                out);
        assertTrue(out.contains("\n  window       version     frames    JSD  changed             conf hist\n"),
                out);
        assertTrue(out.contains("\n  validation   2              200                             0.85"), out);
        assertTrue(out.contains("\nLeft out, no reference: shelves 1 (1 line)\n"), out);
        assertTrue(out.contains("\nUnreadable lines: 1 skipped, e.g.\n"), out);
    }

    @Test
    void jsonReportAndTheRegistryAsReference() throws Exception {
        Run run = Run.of("fleet", "report", "--dir", work.toString(), "--registry", dir.resolve("models").toString(),
                "--name", "shelves", "--since", "2026-12-07T10:00:00Z", "--window", "30m", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertEquals(1800, doc.get("windowSeconds").asInt());
        assertEquals("2026-12-07T10:00:00Z", doc.get("since").asText());
        Map<String, String> status = new LinkedHashMap<>();
        for (JsonNode c : doc.get("cameras")) {
            status.put(c.get("device").asText() + "/" + c.get("camera").asText(), c.get("status").asText());
            assertEquals(4, c.get("windows").size(), "two hours in 30-minute windows");
        }
        assertEquals(Map.of("gate-01/back", "attention", "gate-01/front", "ok", "gate-02/yard", "attention"),
                status);
        JsonNode back = doc.get("cameras").get(0);
        assertEquals("can", back.get("windows").get(3).get("mostChanged").get("label").asText());
        assertEquals(0.25, back.get("windows").get(3).get("mostChanged").get("baselineShare").asDouble(), 1e-12);
        assertEquals(10, back.get("windows").get(3).get("confidenceBins").size());
        assertEquals(0, doc.get("withoutReference").size(), "shelves 1 is before --since");
        assertEquals(1, doc.get("skippedLines").asInt());
    }

    @Test
    void badInputIsExitTwoWithTheReason() throws Exception {
        Run none = Run.of("fleet", "report", "--dir", work.toString());
        assertEquals(2, none.code());
        assertEquals("trainer fleet report: the reference is missing, allowed --model MODEL.onnx or --name NAME"
                + " (with --registry)\n", none.err());
        Run window = Run.of("fleet", "report", "--dir", work.toString(), "--model", model.toString(), "--window",
                "10");
        assertEquals(2, window.code());
        assertEquals("trainer fleet report: --window is 10, allowed a duration such as 90s, 15m, 1h, 7d, 2w or"
                + " PT1H\n", window.err());
        Run baseline = Run.of("fleet", "report", "--dir", work.toString(), "--model", model.toString(),
                "--baseline", "yesterday");
        assertEquals("trainer fleet report: --baseline is yesterday, allowed training or first-window\n",
                baseline.err());
        Path bare = dir.resolve("bare/model.onnx");
        Files.createDirectories(bare.getParent());
        Files.copy(model, bare);
        Run noMetrics = Run.of("fleet", "report", "--dir", work.toString(), "--model", bare.toString());
        assertEquals(2, noMetrics.code());
        assertEquals("trainer fleet report: no metrics.json beside the model (" + bare.resolveSibling("metrics.json")
                + "): the training distribution comes from the metrics.json trainer fit writes (a run folder or a"
                + " registered version)\n", noMetrics.err());
        Run unknown = Run.of("fleet", "report", "--dir", work.toString(), "--registry",
                dir.resolve("models").toString(), "--name", "aisles");
        assertEquals("trainer fleet report: no model named aisles in " + dir.resolve("models") + ", allowed one of"
                + " [shelves]\n", unknown.err());
        Run noTelemetry = Run.of("fleet", "report", "--dir", dir.toString(), "--model", model.toString());
        assertEquals("trainer fleet report: " + dir.resolve("telemetry") + " is not a telemetry folder (trainer"
                + " collect --dir DIR records telemetry into DIR/telemetry)\n", noTelemetry.err());
        Run threshold = Run.of("fleet", "report", "--dir", work.toString(), "--model", model.toString(),
                "--max-confidence-drop", "2");
        assertEquals("trainer fleet report: --max-confidence-drop is 2.0, allowed 0..1\n", threshold.err());
    }
}

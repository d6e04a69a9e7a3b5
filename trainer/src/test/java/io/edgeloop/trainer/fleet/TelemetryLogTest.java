package io.edgeloop.trainer.fleet;

import static io.edgeloop.trainer.fleet.FleetTelemetry.CONFIDENT;
import static io.edgeloop.trainer.fleet.FleetTelemetry.EVEN;
import static io.edgeloop.trainer.fleet.FleetTelemetry.MODEL;
import static io.edgeloop.trainer.fleet.FleetTelemetry.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.CameraMetrics;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Append-only, bounded per camera, one line per message and camera; damaged lines skipped and counted. */
class TelemetryLogTest {

    @TempDir
    Path dir;

    private static DeviceMetrics metrics(int minute, PredictionStats front, PredictionStats yard) {
        return new DeviceMetrics(1, "gate-01", T0.plusSeconds(60L * minute), 60, List.of(
                new CameraMetrics("front", 1, 60, 0, 0, 5, 8, front),
                new CameraMetrics("yard", 1, 60, 0, 0, 5, 8, yard)), 0, 0.1, 1000, 0, 0, 0, 0);
    }

    @Test
    void oneLinePerCameraWithPredictionsReadBackInOrder() throws Exception {
        FleetTelemetry t = new FleetTelemetry(1);
        TelemetryLog log = new TelemetryLog(dir, TelemetryLog.DEFAULT_MAX_BYTES);
        PredictionStats a = t.minute(MODEL, 30, EVEN, CONFIDENT);
        PredictionStats b = t.minute(MODEL, 25, EVEN, CONFIDENT);
        assertEquals(1, log.append(metrics(1, a, null)), "a camera without predictions (an older agent) is skipped");
        assertEquals(2, log.append(metrics(2, b, a)));
        assertEquals(2, Files.readAllLines(dir.resolve("gate-01/front.jsonl")).size());
        assertEquals(1, Files.readAllLines(dir.resolve("gate-01/yard.jsonl")).size());

        TelemetryReader.Result read = TelemetryReader.read(dir);
        assertEquals(0, read.skipped());
        assertEquals(List.of(new TelemetryLine(T0.plusSeconds(60), "gate-01", "front", a),
                new TelemetryLine(T0.plusSeconds(120), "gate-01", "front", b),
                new TelemetryLine(T0.plusSeconds(120), "gate-01", "yard", a)), read.lines());
    }

    @Test
    void aCameraNeverTakesMoreThanTwiceTheLimit() throws Exception {
        FleetTelemetry t = new FleetTelemetry(2);
        TelemetryLog log = new TelemetryLog(dir, 4096);
        int lines = 200;
        for (int i = 0; i < lines; i++) {
            log.append(metrics(i, t.minute(MODEL, 20, EVEN, CONFIDENT), null));
        }
        Path current = dir.resolve("gate-01/front.jsonl");
        Path previous = dir.resolve("gate-01/front.1.jsonl");
        assertTrue(Files.size(current) <= 4096, "current " + Files.size(current));
        assertTrue(Files.size(previous) <= 4096, "previous " + Files.size(previous));
        TelemetryReader.Result read = TelemetryReader.read(dir);
        int kept = read.lines().size();
        assertTrue(kept > 10 && kept < lines, "kept " + kept);
        // the newest lines survive, oldest first
        assertEquals(T0.plusSeconds(60L * (lines - 1)), read.lines().get(kept - 1).at());
        for (int i = 1; i < kept; i++) {
            assertTrue(read.lines().get(i - 1).at().isBefore(read.lines().get(i).at()));
        }
    }

    @Test
    void damagedAndMisplacedLinesAreSkippedAndCounted() throws Exception {
        FleetTelemetry t = new FleetTelemetry(3);
        TelemetryLog log = new TelemetryLog(dir, TelemetryLog.DEFAULT_MAX_BYTES);
        log.append(metrics(1, t.minute(MODEL, 10, EVEN, CONFIDENT), null));
        Path file = dir.resolve("gate-01/front.jsonl");
        String good = Files.readAllLines(file).get(0);
        Files.write(file, ("{\"at\":\"2026-12-07T09:02:00Z\",\"dev\n" // a crash mid-line
                + good.replace("\"frames\":10", "\"frames\":11") + "\n" // counts that do not add up
                + good.replace("\"camera\":\"front\"", "\"camera\":\"yard\"") + "\n" // another camera's line
                + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.write(file, new byte[] {(byte) 0xC3, 0x28, '\n'}, StandardOpenOption.APPEND); // not UTF-8
        log.append(metrics(3, t.minute(MODEL, 12, EVEN, CONFIDENT), null));

        TelemetryReader.Result read = TelemetryReader.read(dir);
        assertEquals(2, read.lines().size());
        assertEquals(4, read.skipped());
        assertEquals(4, read.reasons().size());
        assertTrue(read.reasons().get(0).startsWith(file + ":2: not valid JSON"), read.reasons().get(0));
        assertEquals(file + ":3: predictions.classes adds up to 10, allowed frames (11)", read.reasons().get(1));
        assertEquals(file + ":4: names gate-01/yard, allowed the file's gate-01/front", read.reasons().get(2));
        assertTrue(read.reasons().get(3).startsWith(file + ":6: not valid JSON"), read.reasons().get(3));
        assertFalse(Files.exists(dir.resolve("gate-01/yard.jsonl")));
    }

    @Test
    void badSettingsAndAMissingFolderAreClearErrors() {
        assertEquals("--telemetry-max-bytes is 100, allowed at least 4096", assertThrows(
                IllegalArgumentException.class, () -> new TelemetryLog(dir, 100)).getMessage());
        Path none = dir.resolve("none");
        assertEquals(none + " is not a telemetry folder (trainer collect --dir DIR records telemetry into"
                + " DIR/telemetry)", assertThrows(IllegalArgumentException.class, () -> TelemetryReader.read(none))
                .getMessage());
    }
}

package io.edgeloop.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Class counts and confidence bins per interval, on constructed classifications. */
class PredictionTallyTest {

    private static final ModelRef V1 = ModelRef.of("shelves", "1");
    private static final ModelRef V2 = ModelRef.of("shelves", "2");
    private static final List<String> LABELS = List.of("bottle", "can", "empty");
    private static final long SECOND = 1_000_000_000L;

    @Test
    void countsTopLabelsAndBinsConfidencesPerInterval() {
        PredictionTally tally = new PredictionTally(V1, LABELS, 0);
        tally.record("bottle", 0.95);
        tally.record("bottle", 1.0);
        tally.record("can", 0.55);
        tally.record("bottle", 0.06);
        PredictionTally.Snapshot first = tally.snapshot(60 * SECOND);
        PredictionStats a = first.since(null);
        assertEquals(V1, a.model());
        assertEquals(60.0, a.intervalS());
        assertEquals(4, a.frames());
        assertEquals(Map.of("bottle", 3L, "can", 1L), a.classes()); // "empty" never top-1: left out
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 2L), a.confidence());
        assertEquals(0.64, a.meanConfidence()); // (0.95 + 1 + 0.55 + 0.06) / 4

        tally.record("empty", 0.72);
        tally.record("empty", 0.78);
        PredictionStats b = tally.snapshot(90 * SECOND).since(first);
        assertEquals(30.0, b.intervalS());
        assertEquals(2, b.frames());
        assertEquals(Map.of("empty", 2L), b.classes());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 2L, 0L, 0L), b.confidence());
        assertEquals(0.75, b.meanConfidence());
    }

    @Test
    void anIntervalWithoutFramesReportsZeros() {
        PredictionTally tally = new PredictionTally(V1, LABELS, 0);
        tally.record("can", 0.9);
        PredictionTally.Snapshot first = tally.snapshot(SECOND);
        PredictionStats quiet = tally.snapshot(2 * SECOND).since(first);
        assertEquals(0, quiet.frames());
        assertEquals(Map.of(), quiet.classes());
        assertEquals(0.0, quiet.meanConfidence());
        assertEquals(1.0, quiet.intervalS());
    }

    @Test
    void aModelSwapReportsTheNewModelsFramesSinceTheSwap() {
        CameraMetrics camera = new CameraMetrics("aisle-3");
        assertNull(camera.predictions());
        PredictionTally v1 = new PredictionTally(V1, LABELS);
        camera.predicted(v1, "can", 0.9);
        PredictionTally.Snapshot before = camera.predictions();
        assertSame(v1, before.tally());
        camera.predicted(v1, "can", 0.9);
        PredictionTally v2 = new PredictionTally(V2, List.of("bottle", "can", "empty", "jar"));
        camera.predicted(v2, "jar", 0.4);
        PredictionStats after = camera.predictions().since(before);
        assertEquals(V2, after.model());
        assertEquals(1, after.frames()); // v1's second frame was of the old model: not mixed into v2's counts
        assertEquals(Map.of("jar", 1L), after.classes());
    }

    @Test
    void aLabelTheModelDoesNotHaveIsAnError() {
        PredictionTally tally = new PredictionTally(V1, LABELS);
        assertEquals("label \"jar\" is not one of model shelves 1's labels", assertThrows(
                IllegalArgumentException.class, () -> tally.record("jar", 0.5)).getMessage());
    }
}

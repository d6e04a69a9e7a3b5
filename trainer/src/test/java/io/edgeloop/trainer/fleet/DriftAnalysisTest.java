package io.edgeloop.trainer.fleet;

import static io.edgeloop.trainer.fleet.FleetTelemetry.CONFIDENT;
import static io.edgeloop.trainer.fleet.FleetTelemetry.EVEN;
import static io.edgeloop.trainer.fleet.FleetTelemetry.T0;
import static io.edgeloop.trainer.fleet.FleetTelemetry.UNSURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Divergence and flags on constructed telemetry. */
class DriftAnalysisTest {

    private static final double[] CANS = {0.1, 0.7, 0.1, 0.1};
    private static final TrainingDistribution REFERENCE = FleetTelemetry.reference();

    private static DriftAnalysis analysis(ClassBaseline baseline) {
        return new DriftAnalysis(r -> r.equals(FleetTelemetry.MODEL) ? Optional.of(REFERENCE) : Optional.empty(),
                Duration.ofHours(1), DriftThresholds.DEFAULT, baseline);
    }

    /** Three hours of four cameras: stable, class mix shifting in hour 3, unsure in hour 3, too quiet. */
    private static List<TelemetryLine> fleet() {
        FleetTelemetry t = new FleetTelemetry(7);
        List<TelemetryLine> lines = new ArrayList<>();
        for (int hour = 0; hour < 3; hour++) {
            Instant start = T0.plus(Duration.ofHours(hour));
            lines.addAll(t.camera("gate-01", "front", start, 60, 20, EVEN, CONFIDENT));
            lines.addAll(t.camera("gate-01", "back", start, 60, 20, hour < 2 ? EVEN : CANS, CONFIDENT));
            lines.addAll(t.camera("gate-02", "yard", start, 60, 20, EVEN, hour < 2 ? CONFIDENT : UNSURE));
            lines.addAll(t.camera("gate-02", "quiet", start, 10, 2, CANS, UNSURE));
        }
        return lines;
    }

    private static CameraDrift camera(DriftAnalysis.Result result, String id) {
        return result.cameras().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aCameraWhoseClassMixChangesIsFlaggedAndAStableOneIsNot() {
        DriftAnalysis.Result result = analysis(ClassBaseline.TRAINING).analyse(fleet(), Instant.MIN);
        assertEquals(List.of("gate-01/back", "gate-01/front", "gate-02/quiet", "gate-02/yard"),
                result.cameras().stream().map(CameraDrift::id).toList());

        CameraDrift stable = camera(result, "gate-01/front");
        assertEquals(3, stable.windows().size());
        assertFalse(stable.needsAttention(), stable.toString());
        for (DriftWindow w : stable.windows()) {
            assertEquals(1200, w.frames());
            assertEquals(60, w.messages());
            assertTrue(w.classDivergence() < 0.01, w.toString());
            assertTrue(w.confidenceDivergence() < 0.01, w.toString());
        }

        CameraDrift shifted = camera(result, "gate-01/back");
        assertTrue(shifted.needsAttention());
        DriftWindow before = shifted.windows().get(1);
        DriftWindow after = shifted.windows().get(2);
        assertEquals(T0.plus(Duration.ofHours(2)), after.start());
        assertTrue(before.reasons().isEmpty(), before.toString());
        assertEquals(0.152, after.classDivergence(), 0.02, after.toString()); // exact mix: 0.152
        assertEquals("can", after.mostChanged());
        assertEquals(0.7, after.share(), 0.05);
        assertEquals(0.25, after.baselineShare(), 1e-12);
        assertEquals(1, after.reasons().size(), after.reasons().toString());
        assertTrue(after.reasons().get(0).matches("class mix JSD 0\\.1\\d\\d > 0\\.100 \\(can \\d\\d% vs 25% in"
                + " training\\)"), after.reasons().get(0));
    }

    @Test
    void fallingConfidenceIsFlaggedWithTheDropAndTheHistogram() {
        CameraDrift unsure = camera(analysis(ClassBaseline.TRAINING).analyse(fleet(), Instant.MIN), "gate-02/yard");
        assertTrue(unsure.needsAttention());
        DriftWindow last = unsure.judged().orElseThrow();
        assertTrue(last.classDivergence() < 0.01);
        assertEquals(2, last.reasons().size(), last.reasons().toString());
        assertTrue(last.reasons().get(0).matches("mean confidence 0\\.5\\d, 0\\.\\d\\d below validation 0\\.85"),
                last.reasons().get(0));
        assertTrue(last.reasons().get(1).matches("confidence histogram JSD 0\\.\\d\\d\\d > 0\\.150"),
                last.reasons().get(1));
    }

    @Test
    void aCameraThatStopsReportingWhileTheFleetReportsIsFlaggedSilent() {
        FleetTelemetry t = new FleetTelemetry(11);
        List<TelemetryLine> lines = new ArrayList<>(fleet());
        lines.addAll(t.camera("gate-03", "door", T0, 60, 20, EVEN, CONFIDENT));
        lines.addAll(t.camera("gate-03", "dark", T0, 60, 20, EVEN, CONFIDENT));
        lines.addAll(t.camera("gate-03", "dark", T0.plus(Duration.ofHours(1)), 60, 20, EVEN, CONFIDENT));
        lines.addAll(t.camera("gate-03", "dark", T0.plus(Duration.ofHours(2)), 30, 0, EVEN, CONFIDENT));
        DriftAnalysis.Result result = analysis(ClassBaseline.TRAINING).analyse(lines, Instant.MIN);

        CameraDrift door = camera(result, "gate-03/door");
        assertTrue(door.needsAttention(), door.toString());
        assertTrue(door.judged().orElseThrow().reasons().isEmpty(), "its one window itself was fine");
        assertTrue(door.reasons().get(0).matches("silent: no telemetry since 2026-12-07T09:5\\d:\\d\\dZ while the"
                + " fleet reported until 2026-12-07T11:5\\d:\\d\\dZ"), door.reasons().toString());

        CameraDrift dark = camera(result, "gate-03/dark");
        assertTrue(dark.needsAttention(), dark.toString());
        assertEquals(List.of("silent: classified no frames in the latest window (30 metrics messages); is its source"
                + " down?"), dark.reasons());
        // the rest of the fleet reports to the end: nobody else is silent
        assertFalse(camera(result, "gate-01/front").needsAttention());
        assertTrue(camera(result, "gate-02/quiet").silence().isEmpty());
    }

    @Test
    void windowsWithTooFewFramesAreNotJudged() {
        CameraDrift quiet = camera(analysis(ClassBaseline.TRAINING).analyse(fleet(), Instant.MIN), "gate-02/quiet");
        assertEquals(3, quiet.windows().size());
        assertTrue(quiet.windows().stream().noneMatch(DriftWindow::judged));
        assertTrue(quiet.windows().get(0).classDivergence() > 0.1, "measured, just not judged");
        assertFalse(quiet.needsAttention());
    }

    @Test
    void theFirstWindowBaselineIgnoresAMixThatWasAlwaysThere() {
        FleetTelemetry t = new FleetTelemetry(11);
        List<TelemetryLine> lines = new ArrayList<>();
        for (int hour = 0; hour < 3; hour++) {
            lines.addAll(t.camera("gate-03", "cans", T0.plus(Duration.ofHours(hour)), 30, 20, CANS, CONFIDENT));
        }
        assertTrue(camera(analysis(ClassBaseline.TRAINING).analyse(lines, Instant.MIN), "gate-03/cans")
                .needsAttention(), "against a balanced training set");
        CameraDrift own = camera(analysis(ClassBaseline.FIRST_WINDOW).analyse(lines, Instant.MIN), "gate-03/cans");
        assertFalse(own.needsAttention(), own.toString());
        assertEquals(0, own.windows().get(0).classDivergence(), 1e-12);
        assertTrue(own.windows().get(2).classDivergence() < 0.01);
    }

    @Test
    void sinceLeavesOutOlderLinesAndLinesOfOtherModelsAreCounted() {
        FleetTelemetry t = new FleetTelemetry(3);
        List<TelemetryLine> lines = new ArrayList<>(fleet());
        ModelRef old = ModelRef.of("shelves", "1");
        lines.add(new TelemetryLine(T0.plusSeconds(30), "gate-09", "cam", t.minute(old, 10, EVEN, CONFIDENT)));
        DriftAnalysis.Result result = analysis(ClassBaseline.TRAINING).analyse(lines,
                T0.plus(Duration.ofHours(2)));
        assertEquals(Map.of(), result.withoutReference(), "the old line is before --since");
        assertEquals(1, camera(result, "gate-01/back").windows().size());
        assertEquals(Map.of(old, 1), analysis(ClassBaseline.TRAINING).analyse(lines, Instant.MIN)
                .withoutReference());
    }

    @Test
    void badSettingsNameTheOption() {
        assertEquals("--window is PT30S, allowed at least 1m", assertThrows(IllegalArgumentException.class,
                () -> new DriftAnalysis(r -> Optional.empty(), Duration.ofSeconds(30), DriftThresholds.DEFAULT,
                        ClassBaseline.TRAINING)).getMessage());
        assertEquals("--max-class-divergence is 1.5, allowed a Jensen-Shannon divergence in bits, 0 < BITS <= 1",
                assertThrows(IllegalArgumentException.class, () -> new DriftThresholds(1.5, 0.1, 0.1, 10))
                        .getMessage());
        assertEquals("--min-frames is 0, allowed 1 or more", assertThrows(IllegalArgumentException.class,
                () -> new DriftThresholds(0.1, 0.1, 0.1, 0)).getMessage());
    }
}

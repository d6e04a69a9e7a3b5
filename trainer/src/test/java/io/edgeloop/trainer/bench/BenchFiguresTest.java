package io.edgeloop.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's own arithmetic: step statistics and profiler self times. */
class BenchFiguresTest {

    @Test
    void stepStatsMedianQuartilesAndThroughput() {
        StepStats s = StepStats.of(List.of(4.0, 1.0, 3.0, 2.0, 10.0));
        assertEquals(3.0, s.median());
        assertEquals(2.0, s.quantile(0.25));
        assertEquals(4.0, s.quantile(0.75));
        assertEquals(1.0, s.min());
        assertEquals(10.0, s.max());
        assertEquals(32 / 3.0, s.imagesPerSecond(32), 1e-12);
        assertEquals((4.0 - 2.0) / 2 / 3.0, s.relativeSpread(), 1e-12);
        assertEquals(2.5, StepStats.of(List.of(2.0, 3.0)).median());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepStats.of(List.of()));
        assertEquals("no step durations measured", e.getMessage());
    }

    @Test
    void profileSelfTimeSubtractsDirectChildrenPerThread(@TempDir Path dir) throws IOException {
        // thread 1: conv2d [0, 100) ⊃ convolution [10, 90) ⊃ mkldnn [20, 80); then relu [100, 130)
        // thread 2: another conv2d [5, 45) overlapping thread 1 in time but not nested in it
        String trace = "{\"traceEvents\": [" + String.join(",",
                op("aten::conv2d", 1, 0, 100), op("aten::convolution", 1, 10, 80), op("aten::mkldnn", 1, 20, 60),
                op("aten::relu", 1, 100, 30), op("aten::conv2d", 2, 5, 40),
                "{\"ph\": \"X\", \"cat\": \"python_function\", \"name\": \"forward\", \"pid\": 1, \"tid\": 1,"
                        + " \"ts\": 0, \"dur\": 500}",
                "{\"ph\": \"i\", \"name\": \"marker\", \"pid\": 1, \"tid\": 1, \"ts\": 3}") + "]}";
        Path file = dir.resolve("trace.json");
        Files.writeString(file, trace);
        ProfileSummary p = ProfileSummary.read(file);
        assertEquals(20 + 40, p.entries().get("aten::conv2d").selfMicros(), 1e-9);
        assertEquals(2, p.entries().get("aten::conv2d").calls());
        assertEquals(20, p.entries().get("aten::convolution").selfMicros(), 1e-9);
        assertEquals(60, p.entries().get("aten::mkldnn").selfMicros(), 1e-9);
        assertEquals(30, p.entries().get("aten::relu").selfMicros(), 1e-9);
        assertEquals(170, p.totalMicros(), 1e-9);
        assertEquals(5, p.totalCalls());
    }

    private static String op(String name, int tid, int ts, int dur) {
        return "{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"" + name + "\", \"pid\": 1, \"tid\": " + tid
                + ", \"ts\": " + ts + ", \"dur\": " + dur + "}";
    }

    @Test
    void profileRejectsAFileWithoutEvents(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not-a-trace.json");
        Files.writeString(file, "{\"something\": 1}");
        IOException e = assertThrows(IOException.class, () -> ProfileSummary.read(file));
        assertEquals(file + " is not a chrome trace (no event array)", e.getMessage());
    }
}

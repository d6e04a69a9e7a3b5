package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe in a JVM with the systemd unit's heap ({@code -Xmx384m}): a valid 7000×7000 PNG, inside the
 * 50-megapixel limit, used to allocate ~450 MB while decoding, and the {@code OutOfMemoryError} stopped the camera
 * for good. Now it is rejected from its header against the heap's decode budget and the good frames after it are
 * classified.
 */
class HostileFrameTest {

    @TempDir
    Path tmp;

    @Test
    void a7000x7000PngUnderTheUnitsHeapIsRejectedAndLaterFramesAreClassified() throws Exception {
        Map<String, String> out = probe("-Xmx384m", 7000);
        assertEquals("3", out.get("classified"), out.toString());
        assertEquals("3", out.get("events"), out.toString());
        assertEquals("{over_memory_budget=1}", out.get("rejected"), out.toString());
        assertEquals("0", out.get("errors"), out.toString());
        assertEquals("{}", out.get("frameFailures"), out.toString());
        assertEquals("true", out.get("alive"), out.toString());
    }

    @Test
    void anOutOfMemoryErrorWhileDecodingIsContainedToThatFrameAndCounted() throws Exception {
        // without the budget the same frame runs the decode out of memory: that frame alone is lost. The heap is
        // smaller than the unit's former 384 MB, which now holds the frame: an RGB PNG is decoded in place
        // (7000 x 7000 x 3 = 147 MB), larger than the old generation of a 160 MB heap
        Map<String, String> out = probe("-Xmx160m", 7000, "unlimited");
        assertEquals("{OutOfMemoryError=1}", out.get("frameFailures"), out.toString());
        assertEquals("3", out.get("classified"), out.toString());
        assertEquals("{}", out.get("rejected"), out.toString());
        assertEquals("{}", out.get("stageRestarts"), out.toString());
        assertEquals("true", out.get("alive"), out.toString());
    }

    private Map<String, String> probe(String heap, int side, String... more) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), heap, "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), HostileFrameProbe.class.getName(),
                tmp.resolve("probe").toString(), String.valueOf(side), more.length > 0 ? more[0] : "budget")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("probe.log").toFile());
        Process process = pb.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(tmp.resolve("probe.log"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        Map<String, String> values = new HashMap<>();
        for (String line : List.of(text.split("\n"))) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.indexOf(' ') < 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        values.put("output", text);
        return values;
    }
}

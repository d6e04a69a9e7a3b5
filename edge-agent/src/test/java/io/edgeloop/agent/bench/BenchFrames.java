package io.edgeloop.agent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * For benchmarks that run the agent jar from a script ({@code scripts/bench-agent-rss.sh}):
 * <ul>
 *   <li>{@code BenchFrames frames DIR COUNT} writes the camera-like 640×480 JPEGs of {@link PipelineBenchmark}
 *       (seed 42);</li>
 *   <li>{@code BenchFrames raw MODEL.onnx DIR THREADS RUNS} prints raw ONNX Runtime {@code run} on a pre-made tensor
 *       (the first JPEG of DIR, preprocessed as the model says; ORT's default spinning threads), the baseline the
 *       script compares the agent's frames/s with, and this JVM's RSS at the end (raw ORT's memory beside the
 *       agent's).</li>
 * </ul>
 */
public final class BenchFrames {

    private BenchFrames() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("frames")) {
            Path dir = PipelineBenchmark.writeJpegs(Path.of(args[1]), Integer.parseInt(args[2]), new Random(42));
            System.out.println("wrote " + args[2] + " frames to " + dir);
            return;
        }
        Path model = Path.of(args[1]);
        Path images = Path.of(args[2]);
        int threads = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        double[] raw = PipelineBenchmark.raw(PipelineBenchmark.benchSpec(model, images,
                images.resolveSibling("raw-state")),
                images, threads, runs);
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> l.replaceAll("\\D+", "")).findFirst().map(kb -> Long.parseLong(kb) / 1024 + " MB")
                .orElse("unknown");
        System.out.printf(Locale.ROOT, "raw ORT (%d thread%s): %.1f runs/s, p50 %.2f ms; rss of this JVM %s%n",
                threads, threads == 1 ? "" : "s", raw[1], raw[0], rss);
    }
}

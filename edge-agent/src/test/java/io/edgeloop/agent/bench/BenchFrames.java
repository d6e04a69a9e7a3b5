package io.edgeloop.agent.bench;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.ModelSpecs;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * For benchmarks that run the agent jar from a script ({@code scripts/bench-agent-rss.sh}):
 * <ul>
 *   <li>{@code BenchFrames frames DIR COUNT} writes the camera-like 640×480 JPEGs of {@link PipelineBenchmark}
 *       (seed 42);</li>
 *   <li>{@code BenchFrames raw MODEL.onnx DIR THREADS RUNS} prints raw ONNX Runtime {@code run} on a pre-made tensor
 *       (the first JPEG of DIR, preprocessed as the model says; ORT's default spinning threads), the baseline the
 *       script compares the agent's frames/s with.</li>
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
        String labels = IntStream.range(0, 1000).mapToObj(i -> "c" + i).collect(Collectors.joining(", ", "[", "]"));
        AgentConfig config = new ConfigLoader().parse("""
                deviceId: raw
                stateDir: %s
                model:
                  path: %s
                  labels: %s
                cameras:
                  - id: cam0
                    source: {type: replay, path: %s}
                mqtt:
                  broker: tcp://127.0.0.1:1
                """.formatted(images.resolveSibling("raw-state"), model, labels, images), "raw.yaml");
        double[] raw = PipelineBenchmark.raw(ModelSpecs.resolve(config.model()), images, threads, runs);
        System.out.printf(Locale.ROOT, "raw ORT (%d thread%s): %.1f runs/s, p50 %.2f ms%n", threads,
                threads == 1 ? "" : "s", raw[1], raw[0]);
    }
}

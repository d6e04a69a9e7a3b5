package io.edgeloop.agent.bench;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.pipeline.ModelSpecs;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark harness (not a timed test): replays 640×480 JPEGs through the whole agent (decode, preprocess, ORT,
 * postprocess, spool, MQTT QoS 1 into a real mosquitto, received by a subscriber) and, in the same run, times raw
 * ORT {@code run} on a pre-made tensor with the same model and threads. Prints a Markdown table.
 *
 * <pre>
 * /usr/bin/python3 edge-agent/src/test/python/export_mobilenet_v2.py      # writes
 * /tmp/edgeloop-bench/mobilenet_v2.onnx
 * ./mvnw -B -pl edge-agent -am test -Dtest=PipelineBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=/tmp/edgeloop-bench/mobilenet_v2.onnx -Dbench.frames=300
 * </pre>
 */
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
public final class PipelineBenchmark {

    /** Frames per camera delivered before the measured phase (about 1.5 s at 200 frames/s). */
    private static final int WARM_UP_FRAMES = 300;

    /** Where each configuration's CPU went, printed after the table. */
    private static final List<String> CPU_SPLITS = new ArrayList<>();

    private PipelineBenchmark() {
    }

    @Tag("benchmark")
    @Test
    void benchmark() throws Exception {
        main(new String[] {System.getProperty("bench.model", "/tmp/edgeloop-bench/mobilenet_v2.onnx"),
                System.getProperty("bench.frames", "300")});
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int frames = Integer.parseInt(args[1]);
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + " not found: run edge-agent/src/test/python/export_mobilenet_v2.py first");
        }
        Path work = Files.createTempDirectory("edgeloop-bench");
        Path images = writeJpegs(work.resolve("frames"), 60, new Random(42));
        long jpegBytes;
        try (var s = Files.list(images)) {
            jpegBytes = s.mapToLong(p -> p.toFile().length()).sum() / 60;
        }
        System.out.printf(Locale.ROOT, "model %s (%d bytes), %d frames of 640x480 JPEG (avg %d bytes), %s cores%n",
                model, Files.size(model), frames, jpegBytes, Runtime.getRuntime().availableProcessors());
        List<String> rows = new ArrayList<>();
        rows.add("| threads | cameras | raw ORT run p50 ms | raw ORT fps | pipeline fps | ratio | decode p50 ms "
                + "| preprocess p50 ms | inference p50 ms | publish p50 ms | frame total p50 / p95 ms "
                + "| JVM CPU ms per frame | RSS MB |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        try (Mosquitto broker = Mosquitto.start(work.resolve("broker"))) {
            for (int[] setup : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                rows.add(run(model, images, work, broker, frames, setup[0], setup[1]));
            }
        }
        System.out.println();
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("CPU ms per delivered frame by thread (measured phase, /proc; 10 ms ticks):");
        CPU_SPLITS.forEach(System.out::println);
        System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static String run(Path model, Path images, Path work, Mosquitto broker, int frames, int threads,
            int cameras) throws Exception {
        String labels = IntStream.range(0, 1000).mapToObj(i -> "c" + i).collect(Collectors.joining(", ", "[", "]"));
        StringBuilder cams = new StringBuilder();
        for (int c = 0; c < cameras; c++) {
            cams.append("  - id: cam").append(c).append("\n    source: {type: replay, path: ").append(images)
                    .append(", fps: 0, loop: true}\n");
        }
        String yaml = """
                deviceId: bench
                stateDir: %s
                model:
                  path: %s
                  labels: %s
                inference:
                  intraOpThreads: %d
                cameras:
                %s
                mqtt:
                  broker: %s
                metrics:
                  intervalSeconds: 3600
                """.formatted(work.resolve("state-" + threads + "-" + cameras), model, labels, threads,
                cams.toString().stripTrailing().replace("\n", "\n"), broker.uri());
        yaml = yaml.replace("cameras:\n  - id", "cameras:\n  - id");
        AgentConfig config = new ConfigLoader().parse(yaml, "bench.yaml");
        ModelSpec spec = ModelSpecs.resolve(config.model());

        // raw ORT on a pre-made tensor, same model and threads: before and after the pipeline (the machine is shared)
        double[] before = raw(spec, images, threads, Math.max(50, frames / 2));
        // the whole pipeline into the broker, counted at a subscriber
        try (Subscriber sub = new Subscriber(broker.uri(), "bench-" + threads + "-" + cameras,
                "edgeloop/bench/+/events")) {
            Agent agent = Agent.create(config, Map.of(), new Random(1));
            try {
                agent.start();
                // warm-up: an always-on agent runs JIT-compiled code; the first frames would measure the compiler
                sub.await("/events", WARM_UP_FRAMES * cameras, 120_000);
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                ThreadCpu jvm0 = ThreadCpu.of("self");
                ThreadCpu broker0 = ThreadCpu.of(String.valueOf(broker.pid()));
                int got = sub.await("/events", frames, 300_000).size();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuMillisPerFrame = (processCpuNanos() - cpu0) / 1e6 / got;
                CPU_SPLITS.add(String.format(Locale.ROOT, "threads %d, cameras %d: JVM %s; mosquitto %s", threads,
                        cameras, ThreadCpu.format(ThreadCpu.of("self").millisPerFrameSince(jvm0, got), 0.05),
                        ThreadCpu.format(ThreadCpu.of(String.valueOf(broker.pid())).millisPerFrameSince(broker0, got),
                                0.0)));
                double fps = got / seconds;
                CameraMetrics m = agent.metrics().get("cam0");
                long rss = rssBytes();
                agent.close();
                double[] after = raw(spec, images, threads, Math.max(50, frames / 2));
                double rawP50 = (before[0] + after[0]) / 2;
                double rawFps = (before[1] + after[1]) / 2;
                return String.format(Locale.ROOT, "| %d | %d | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | "
                        + "%.1f / %.1f | %.1f | %d |", threads, cameras, rawP50, rawFps, fps, fps / rawFps,
                        p50(m, CameraMetrics.Stage.DECODE), p50(m, CameraMetrics.Stage.PREPROCESS),
                        p50(m, CameraMetrics.Stage.INFERENCE), p50(m, CameraMetrics.Stage.PUBLISH),
                        p50(m, CameraMetrics.Stage.TOTAL),
                        m.latency(CameraMetrics.Stage.TOTAL).percentileMillis(0.95), cpuMillisPerFrame, rss >> 20);
            } finally {
                agent.close();
            }
        }
    }

    /** Raw ORT: {p50 ms, runs per second} over n runs after 20 warm-up runs. */
    /** The benchmark model's description as the agent resolves it: labels c0..c999, the card's preprocessing. */
    static ModelSpec benchSpec(Path model, Path images, Path stateDir) throws Exception {
        String labels = IntStream.range(0, 1000).mapToObj(i -> "c" + i).collect(Collectors.joining(", ", "[", "]"));
        AgentConfig config = new ConfigLoader().parse("""
                deviceId: bench
                stateDir: %s
                model:
                  path: %s
                  labels: %s
                cameras:
                  - id: cam0
                    source: {type: replay, path: %s}
                mqtt:
                  broker: tcp://127.0.0.1:1
                """.formatted(stateDir, model, labels, images), "bench.yaml");
        return ModelSpecs.resolve(config.model());
    }

    static double[] raw(ModelSpec spec, Path images, int threads, int n) throws Exception {
        // ORT's own defaults (idle threads spin): the fastest raw figure, so the ratio is not flattered
        try (ModelRuntime runtime = ModelRuntime.open(spec, new SessionSettings(threads, Optimization.ALL, true));
                InferenceContext ctx = runtime.newContext()) {
            BufferedImage img = new ImageDecoder(DecodeLimits.DEFAULT).decode(Files.readAllBytes(
                    images.resolve("000.jpg")), "bench");
            ctx.input().clear();
            new ImagePreprocessor(spec.preprocess()).preprocess(img, ctx.input());
            for (int i = 0; i < 20; i++) {
                ctx.run();
            }
            long[] each = new long[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                ctx.run();
                each[i] = System.nanoTime() - s;
            }
            double fps = n / ((System.nanoTime() - t0) / 1e9);
            java.util.Arrays.sort(each);
            return new double[] {each[n / 2] / 1e6, fps};
        }
    }

    private static double p50(CameraMetrics m, CameraMetrics.Stage s) {
        return m.latency(s).percentileMillis(0.5);
    }

    /** CPU time of this JVM (agent threads, MQTT client and the subscriber), all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Camera-like 640×480 scenes: gradients, shapes and sensor noise, JPEG quality 85. */
    static Path writeJpegs(Path dir, int count, Random random) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), 640, 480,
                    new Color(random.nextInt(0xFFFFFF))));
            g.fillRect(0, 0, 640, 480);
            for (int k = 0; k < 12; k++) {
                g.setColor(new Color(random.nextInt(0xFFFFFF)));
                g.fillOval(random.nextInt(600), random.nextInt(440), 20 + random.nextInt(200), 20
                        + random.nextInt(150));
            }
            g.dispose();
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    int p = img.getRGB(x, y);
                    int n = random.nextInt(17) - 8;
                    int r = Math.max(0, Math.min(255, ((p >> 16) & 0xFF) + n));
                    int gg = Math.max(0, Math.min(255, ((p >> 8) & 0xFF) + n));
                    int b = Math.max(0, Math.min(255, (p & 0xFF) + n));
                    img.setRGB(x, y, (r << 16) | (gg << 8) | b);
                }
            }
            var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (var out = ImageIO.createImageOutputStream(dir.resolve(String.format("%03d.jpg", i)).toFile())) {
                writer.setOutput(out);
                var param = writer.getDefaultWriteParam();
                param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
                writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
            } finally {
                writer.dispose();
            }
        }
        return dir;
    }
}

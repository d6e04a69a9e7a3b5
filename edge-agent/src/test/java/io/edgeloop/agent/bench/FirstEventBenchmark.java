package io.edgeloop.agent.bench;

import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark harness (not a timed test): "first event after start", the time from launching the shaded agent jar
 * (a new JVM, as systemd does) to the first classification event received by a subscriber on a real mosquitto.
 * Each run gets a fresh state directory (empty spool), replays the same camera-like 640×480 JPEGs as
 * {@link PipelineBenchmark}, and ends the agent with SIGTERM. Prints every run and the median.
 *
 * <pre>
 * /usr/bin/python3 edge-agent/src/test/python/export_mobilenet_v2.py      # writes
 * /tmp/edgeloop-bench/mobilenet_v2.onnx
 * ./mvnw -B -q -pl edge-agent -am package -DskipTests                    # builds edge-agent/target/edge-agent.jar
 * ./mvnw -B -pl edge-agent -am test -Dtest=FirstEventBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=/tmp/edgeloop-bench/mobilenet_v2.onnx -Dbench.runs=5
 * </pre>
 */
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
public final class FirstEventBenchmark {

    /** The systemd unit's JVM options (devices/systemd/edgeloop-agent.service). */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
            "-Dai.djl.offline=true");

    private FirstEventBenchmark() {
    }

    @Tag("benchmark")
    @Test
    void benchmark() throws Exception {
        main(new String[] {System.getProperty("bench.model", "/tmp/edgeloop-bench/mobilenet_v2.onnx"),
                System.getProperty("bench.jar", "target/edge-agent.jar"), System.getProperty("bench.runs", "5")});
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]).toAbsolutePath();
        Path jar = Path.of(args[1]).toAbsolutePath();
        int runs = Integer.parseInt(args[2]);
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + " not found: run edge-agent/src/test/python/export_mobilenet_v2.py first");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " not found: run ./mvnw -B -q -pl edge-agent -am package -DskipTests first");
        }
        Path work = Files.createTempDirectory("edgeloop-first-event");
        Path images = PipelineBenchmark.writeJpegs(work.resolve("frames"), 60, new Random(42));
        String labels = IntStream.range(0, 1000).mapToObj(i -> "c" + i).collect(Collectors.joining(", ", "[", "]"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] seconds = new double[runs];
        try (Mosquitto broker = Mosquitto.start(work.resolve("broker"))) {
            for (int r = 0; r < runs; r++) {
                Path config = work.resolve("agent-" + r + ".yaml");
                Files.writeString(config, """
                        deviceId: first
                        stateDir: %s
                        model:
                          path: %s
                          labels: %s
                        inference:
                          intraOpThreads: 1
                        cameras:
                          - id: cam0
                            source: {type: replay, path: %s, fps: 0, loop: true}
                        mqtt:
                          broker: %s
                        """.formatted(work.resolve("state-" + r), model, labels, images, broker.uri()));
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(JVM_OPTIONS);
                command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
                try (Subscriber sub = new Subscriber(broker.uri(), "first-" + r, "edgeloop/first/+/events")) {
                    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(work.resolve("agent-" + r + ".log").toFile());
                    long t0 = System.nanoTime();
                    Process agent = pb.start();
                    try {
                        List<Subscriber.Received> first = sub.await("/events", 1, 60_000);
                        long t1 = System.nanoTime();
                        if (first.isEmpty()) {
                            throw new IOException("no event within 60 s; agent log: " + work.resolve("agent-" + r
                                    + ".log"));
                        }
                        seconds[r] = (t1 - t0) / 1e9;
                        System.out.printf(Locale.ROOT, "run %d: first event after %.2f s%n", r + 1, seconds[r]);
                    } finally {
                        agent.destroy();
                        if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                            agent.destroyForcibly();
                        }
                    }
                }
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "first event after start: median %.2f s, min %.2f s, max %.2f s over %d runs "
                + "(%s)%n", median, sorted[0], sorted[runs - 1], runs, String.join(" ", JVM_OPTIONS));
        System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }
}

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
 * {@link PipelineBenchmark}, and ends the agent with SIGTERM. Two settings alternate run by run in the same JVM:
 * the systemd unit's options before start-up tuning ({@link #BEFORE}) and now ({@link #unitOptions}: a
 * class-data-sharing archive made by one training start with {@code -XX:ArchiveClassesAtExit}, ONNX Runtime's
 * libraries extracted once, a small heap). Prints every run, the medians and their ratio.
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

    /** The systemd unit's JVM options before start-up tuning. */
    static final List<String> BEFORE = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
            "-Dai.djl.offline=true");

    /**
     * The systemd unit's JVM options now (devices/systemd/edgeloop-agent.service), with its files in {@code dir}.
     *
     * @param archive the CDS archive option: {@code -XX:SharedArchiveFile=…} or {@code -XX:ArchiveClassesAtExit=…}
     */
    static List<String> unitOptions(Path dir, String archive) {
        return List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx96m", "-Xmn8m", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps", "-XX:TrimNativeHeapInterval=5000",
                "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m", "-Xss512k",
                archive + dir.resolve("agent.jsa"),
                "-Dedgeloop.ortNativeDir=" + dir.resolve("native"), "-Dai.djl.offline=true");
    }

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
        Path unitDir = Files.createDirectories(work.resolve("unit"));
        List<List<String>> settings = List.of(BEFORE, unitOptions(unitDir, "-XX:SharedArchiveFile="));
        double[][] seconds = new double[2][runs];
        try (Mosquitto broker = Mosquitto.start(work.resolve("broker"))) {
            // the archive as the unit makes it on first start (ExecStartPre): one start that dumps at exit
            double training = firstEvent(java, unitOptions(unitDir, "-XX:ArchiveClassesAtExit="), jar, model, labels,
                    images, broker, work, "archive");
            System.out.printf(Locale.ROOT, "archive-making start: first event after %.2f s; archive %d KB%n",
                    training, Files.size(unitDir.resolve("agent.jsa")) / 1024);
            for (int r = 0; r < runs; r++) {
                for (int v = 0; v < 2; v++) {
                    seconds[v][r] = firstEvent(java, settings.get(v), jar, model, labels, images, broker, work,
                            v + "-" + r);
                    System.out.printf(Locale.ROOT, "run %d %s: first event after %.2f s%n", r + 1,
                            v == 0 ? "before" : "now   ", seconds[v][r]);
                }
            }
        }
        double before = median(seconds[0]);
        double now = median(seconds[1]);
        for (int v = 0; v < 2; v++) {
            double[] sorted = seconds[v].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "first event after start, %s: median %.2f s, min %.2f s, max %.2f s over"
                    + " %d runs (%s)%n", v == 0 ? "before" : "now", median(seconds[v]), sorted[0], sorted[runs - 1],
                    runs, String.join(" ", settings.get(v)));
        }
        System.out.printf(Locale.ROOT, "now / before: %.2f%n", now / before);
        System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** One start of the agent jar: seconds from {@code ProcessBuilder.start()} to the first event. */
    private static double firstEvent(String java, List<String> jvm, Path jar, Path model, String labels, Path images,
            Mosquitto broker, Path work, String name) throws Exception {
        Path config = work.resolve("agent-" + name + ".yaml");
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
                """.formatted(work.resolve("state-" + name), model, labels, images, broker.uri()));
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        Path log = work.resolve("agent-" + name + ".log");
        try (Subscriber sub = new Subscriber(broker.uri(), "first-" + name, "edgeloop/first/+/events")) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process agent = pb.start();
            try {
                List<Subscriber.Received> first = sub.await("/events", 1, 60_000);
                long t1 = System.nanoTime();
                if (first.isEmpty()) {
                    throw new IOException("no event within 60 s; agent log: " + log);
                }
                return (t1 - t0) / 1e9;
            } finally {
                agent.destroy();
                if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        }
    }
}

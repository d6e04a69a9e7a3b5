package io.edgeloop.agent.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.cli.AgentMain;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.spool.Spool;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.testing.Mosquitto;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign's process-level part: the agent as its own JVM killed with SIGKILL while its spool holds a
 * backlog, then restarted; and the disk under the agent's state full (a real tmpfs of a few hundred KiB, mounted by
 * the test when it runs as root, else skipped). Counted like {@link FaultCampaignTest}.
 */
class ProcessFaultsTest {

    private static final String DEVICE = "fault-proc";
    private static final Pattern STOPPED = Pattern.compile(
            "agent " + DEVICE + " stopped \\(boot ([0-9a-f]{16}); accepted cam1: (\\d+) events, (\\d+) hard");

    @TempDir
    Path tmp;

    private String yaml(String broker, Path state, String extra) throws IOException {
        Path onnx = ColourModel.write(tmp.resolve("model/colour.onnx"), false);
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("red/1.png"), Color.RED, "png");
        Images.write(frames.resolve("green/1.png"), Color.GREEN, "png");
        Images.write(frames.resolve("blue/1.png"), Color.BLUE, "png");
        return """
                deviceId: %s
                stateDir: %s
                model:
                  path: %s
                  labels: [red, green, blue]
                  version: colour-1
                  preprocess: {resize: exact, resizeSize: 32, cropSize: 32, mean: [0, 0, 0], std: [1, 1, 1],
                    valueScale: 0.00392156862745098, colourOrder: rgb}
                cameras:
                  - id: cam1
                    source: {type: replay, path: %s, fps: 100, loop: true}
                mqtt:
                  broker: %s
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 500
                  connectTimeoutSeconds: 2
                shutdownTimeoutSeconds: 20
                """.formatted(DEVICE, state, onnx, frames, broker) + extra;
    }

    private Process startAgent(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-DEDGELOOP_TEST_LOG=INFO", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), AgentMain.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Every message left undelivered in a spool directory, as the agent would find it when it starts again. */
    private static int spooled(Path dir, Ledger ledger) throws Exception {
        int n = 0;
        try (Spool spool = Spool.open(dir, 256L << 20, 4L << 20, 0)) {
            for (Spool.Entry e; (e = spool.next(0, TimeUnit.MILLISECONDS)) != null; ) {
                ledger.accepted(Ledger.key(e.message().topic(), e.message().payload()));
                n++;
            }
        }
        return n;
    }

    @Test
    void agentKilledWithSigkillWithABacklogDeliversItAfterTheRestart() throws Exception {
        Ledger ledger = new Ledger();
        Path state = tmp.resolve("state");
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                FaultProxy proxy = new FaultProxy(broker.port());
                Collector collector = new Collector(broker.uri(), "fault-collector", "edgeloop/+/+/events")) {
            proxy.mode(FaultProxy.Mode.DOWN);
            Path config = tmp.resolve("agent.yaml");
            Files.writeString(config, yaml(proxy.uri(), state, ""));
            Process first = startAgent(config, tmp.resolve("agent-1.log"));
            try {
                // wait for a backlog: the broker is unreachable, so everything stays in the spool
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (spoolBytes(state.resolve("spool")) < 100_000 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            }
            int backlog = spooled(state.resolve("spool"), ledger);
            System.out.printf("fault %-22s %d messages in the spool at the SIGKILL%n", "agent SIGKILL", backlog);
            assertTrue(backlog > 100, "backlog of " + backlog + "; log: "
                    + Files.readString(tmp.resolve("agent-1.log")));
            proxy.mode(FaultProxy.Mode.PASS);
            Path secondLog = tmp.resolve("agent-2.log");
            Process second = startAgent(config, secondLog);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (ledger.total().delivered() < backlog && System.nanoTime() < deadline) {
                    for (Collector.Message m : collector.drain()) {
                        ledger.delivered(m.topic(), m.payload());
                    }
                    Thread.sleep(100);
                }
                Thread.sleep(1000);
                second.destroy(); // SIGTERM: a clean stop logs what the run accepted
                assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
            } finally {
                second.destroyForcibly();
            }
            String log = Files.readString(secondLog);
            Matcher m = STOPPED.matcher(log);
            assertTrue(m.find(), log);
            ledger.acceptedEvents(DEVICE, "cam1", m.group(1), Long.parseLong(m.group(2)));
            Thread.sleep(1000);
            for (Collector.Message msg : collector.drain()) {
                ledger.delivered(msg.topic(), msg.payload());
            }
        }
        System.out.print(ledger.report("agent SIGKILL"));
        Set<String> boots = new HashSet<>();
        ledger.deliveredKeys().forEach(k -> boots.add(k.boot()));
        assertEquals(2, boots.size(), "two runs told apart by boot: " + boots);
        Ledger.Counts t = ledger.total();
        assertEquals(0, t.lost(), "lost " + ledger.lost(20));
        assertEquals(0, t.unexpected());
    }

    private static long spoolBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aFullDiskCostsCountedEventsOnlyAndTheAgentKeepsClassifying() throws Exception {
        Path disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "cannot mount a tmpfs here: " + new String(mount.getInputStream().readAllBytes()));
        Ledger ledger = new Ledger();
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                FaultProxy proxy = new FaultProxy(broker.port());
                Collector collector = new Collector(broker.uri(), "fault-collector", "edgeloop/+/+/events")) {
            proxy.mode(FaultProxy.Mode.DOWN);
            Agent agent = Agent.create(new ConfigLoader().parse(yaml(proxy.uri(), disk.resolve("state"),
                    "events: {thumbnail: true, thumbnailMaxSide: 32}\n"), "disk.yaml"), Map.of(), new Random(5));
            CameraMetrics metrics;
            long errorsWhileFull;
            try {
                agent.start();
                metrics = agent.metrics().get("cam1");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (metrics.errorCount() < 20 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                errorsWhileFull = metrics.errorCount();
                assertTrue(errorsWhileFull > 0, "the disk never filled: " + agent.spool().sizeBytes() + " bytes");
                long classified = metrics.classifiedCount();
                Thread.sleep(1000);
                assertTrue(metrics.classifiedCount() > classified + 20, "the camera stopped classifying");
                proxy.mode(FaultProxy.Mode.PASS);
                long acceptedAtHeal = metrics.eventCount();
                long healDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (metrics.eventCount() < acceptedAtHeal + 100 && System.nanoTime() < healDeadline) {
                    Thread.sleep(100);
                }
                // delivered segments give their space back: the spool accepts events again
                assertTrue(metrics.eventCount() >= acceptedAtHeal + 100, "no events accepted after the broker came"
                        + " back: " + metrics.eventCount() + " (" + acceptedAtHeal + " at the heal)");
            } finally {
                agent.close();
            }
            ledger.acceptedCount(Ledger.Kind.EVENT, DEVICE, "cam1", metrics.eventCount());
            long quiet = System.nanoTime();
            while (System.nanoTime() - quiet < 3_000_000_000L) {
                var got = collector.drain();
                got.forEach(msg -> ledger.delivered(msg.topic(), msg.payload()));
                if (!got.isEmpty()) {
                    quiet = System.nanoTime();
                }
                Thread.sleep(100);
            }
            System.out.print(ledger.report("disk full"));
            System.out.printf("fault %-22s %d events could not be spooled (counted as errors, logged)%n",
                    "disk full", metrics.errorCount());
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
        Ledger.Counts t = ledger.total();
        assertEquals(0, t.lost(), "lost " + ledger.lost(20));
        assertEquals(0, t.unexpected());
    }
}

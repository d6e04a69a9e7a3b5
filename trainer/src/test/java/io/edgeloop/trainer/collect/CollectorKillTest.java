package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.testing.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign's collector part: {@code trainer collect} as its own JVM, killed with SIGKILL twice while hard
 * examples stream in (QoS 1, each acknowledged by mosquitto), restarted each time with the same client id. Counts
 * the inbox by (device, camera, seq): every example the broker accepted is stored exactly once, and the inbox has no
 * torn file ({@link Inbox#list} refuses an unreadable sidecar or a missing image).
 */
class CollectorKillTest {

    private static final int EXAMPLES = 240;

    @TempDir
    Path tmp;

    private Process collector(String uri, Path dir, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Xmx256m",
                "io.edgeloop.trainer.cli.TrainerMain", "collect", "--broker", uri, "--dir", dir.toString(),
                "--client-id", "kill-collector", "--near-duplicate-bits", "-1", "--no-telemetry")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int stored(Path inbox) throws IOException {
        return Files.isDirectory(inbox) ? Inbox.open(inbox).list().size() : 0;
    }

    private static void awaitStored(Path inbox, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (stored(inbox) < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Waits for the collector's start line, printed once it is connected and subscribed. */
    private static void awaitSubscribed(Process collector, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("Collecting hard examples from")) {
                return;
            }
            assertTrue(collector.isAlive(), "trainer collect ended: " + Files.readString(log));
            Thread.sleep(100);
        }
        throw new AssertionError("trainer collect did not start within 60 s: " + Files.readString(log));
    }

    @Test
    void collectorKilledMidWriteLosesNothingTheBrokerAccepted() throws Exception {
        Path dir = tmp.resolve("collect");
        Path inbox = dir.resolve("inbox");
        int kills = 0;
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Process running = collector(broker.uri(), dir, tmp.resolve("collect-0.log"));
            awaitSubscribed(running, tmp.resolve("collect-0.log"));
            MqttAsyncClient agent = new MqttAsyncClient(broker.uri(), "kill-agent", new MemoryPersistence());
            try {
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(false);
                options.setSessionExpiryInterval(600L);
                agent.connect(options).waitForCompletion(5000);
                for (int seq = 0; seq < EXAMPLES; seq++) {
                    MqttMessage m = new MqttMessage(HardExamples.payload("gate-01", "front", seq,
                            HardExamples.jpeg(seq)));
                    m.setQos(1);
                    agent.publish("edgeloop/gate-01/front/hard", m).waitForCompletion(5000);
                    if (seq == EXAMPLES / 3 || seq == 2 * EXAMPLES / 3) {
                        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, mid-write or not
                        kills++;
                        running = collector(broker.uri(), dir, tmp.resolve("collect-" + kills + ".log"));
                    }
                    Thread.sleep(10);
                }
                awaitStored(inbox, EXAMPLES, 30);
            } finally {
                running.destroy();
                running.waitFor(10, TimeUnit.SECONDS);
                running.destroyForcibly();
                agent.disconnect().waitForCompletion(2000);
                agent.close();
            }
        }
        List<InboxEntry> entries = Inbox.open(inbox).list();
        Map<Long, Integer> bySeq = new HashMap<>();
        for (InboxEntry e : entries) {
            assertEquals("gate-01", e.sidecar().device());
            assertEquals("front", e.sidecar().camera());
            bySeq.merge(e.sidecar().seq(), 1, Integer::sum);
        }
        long lost = 0;
        for (long seq = 0; seq < EXAMPLES; seq++) {
            lost += bySeq.containsKey(seq) ? 0 : 1;
        }
        long duplicated = bySeq.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("fault %-22s %-18s %9d %9d %6d %6d %6d%n", "collector SIGKILL x" + kills,
                "gate-01/front hard", EXAMPLES, bySeq.size(), lost, duplicated, 0);
        assertEquals(2, kills);
        assertEquals(0, lost, "lost seqs: missing from " + bySeq.keySet());
        assertEquals(0, duplicated, "the inbox stores an example once");
        assertTrue(entries.size() == EXAMPLES);
    }
}

package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector against real brokers: the embedded Moquette broker and mosquitto. Examples are stored, malformed
 * messages counted, and examples published while the collector is down arrive when it comes back (persistent
 * session on a shared subscription).
 */
class HardExampleCollectorTest {

    @TempDir
    Path dir;

    @Test
    void collectsThroughTheEmbeddedBroker() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            collectStoreRestart(broker.uri());
        }
    }

    @Test
    void collectsThroughMosquitto() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            collectStoreRestart(broker.uri());
        }
    }

    @Test
    void collectorReconnectsAfterTheBrokerRestartsAndStartsWithoutABroker() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String uri = "tcp://127.0.0.1:" + port;
        Path inboxDir = dir.resolve("inbox");
        // Started before the broker exists: the first connect is retried too.
        try (HardExampleCollector collector = HardExampleCollector.start(settings(uri, "collector-r"),
                intake(inboxDir))) {
            assertTrue(!collector.awaitSubscribed(Duration.ofMillis(300)), "no broker yet");
            for (int round = 1; round <= 2; round++) {
                try (Mosquitto broker = Mosquitto.startOnPort(dir.resolve("mosquitto" + round), port)) {
                    long before = collector.connections();
                    await(() -> collector.connections() > before, "collector (re)connected and subscribed, round "
                            + round);
                    MqttClient device = TestMqtt.client(broker.uri(), "gate-04");
                    device.connect(new MqttConnectionOptions());
                    publish(device, "edgeloop/gate-04/front/hard",
                            HardExamples.payload("gate-04", "front", round, HardExamples.jpeg(200 + round)));
                    final int expected = round;
                    await(() -> collector.summary().stored() == expected, "example of round " + round + " stored");
                    device.disconnect();
                    device.close();
                }
            }
        }
        assertEquals(2, Inbox.open(inboxDir).list().size());
    }

    @Test
    void collectorLogsInWithUserAndPassword() throws Exception {
        try (Mosquitto broker = Mosquitto.startWithPassword(dir.resolve("mosquitto"), "collector", "s3cret")) {
            Path pwFile = dir.resolve("pw");
            java.nio.file.Files.writeString(pwFile, "s3cret\n");
            MqttCredentials good = MqttCredentials.fromOptions("collector", null, pwFile, java.util.Map.of());
            assertEquals("collector (password set)", good.toString());
            MqttCredentials wrong = MqttCredentials.fromOptions("collector", "PW", null, java.util.Map.of("PW", "x"));
            try (HardExampleCollector refused = HardExampleCollector.start(withCredentials(broker.uri(),
                    "collector-w", wrong), intake(dir.resolve("w/inbox")))) {
                assertTrue(!refused.awaitSubscribed(Duration.ofSeconds(1)), "wrong password must not connect");
            }
            try (HardExampleCollector collector = HardExampleCollector.start(withCredentials(broker.uri(),
                    "collector-p", good), intake(dir.resolve("inbox")))) {
                assertTrue(collector.awaitSubscribed(Duration.ofSeconds(10)), "collector did not log in");
                MqttClient device = TestMqtt.client(broker.uri(), "gate-06");
                MqttConnectionOptions options = new MqttConnectionOptions();
                good.applyTo(options);
                device.connect(options);
                publish(device, "edgeloop/gate-06/front/hard",
                        HardExamples.payload("gate-06", "front", 1, HardExamples.jpeg(61)));
                await(() -> collector.summary().stored() == 1, "example stored");
                device.disconnect();
                device.close();
            }
        }
        assertEquals("--password-env names NOPE, which is not set in the environment",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> MqttCredentials.fromOptions("u", "NOPE", null, java.util.Map.of())).getMessage());
    }

    private static CollectorSettings withCredentials(String uri, String clientId, MqttCredentials credentials) {
        return new CollectorSettings(uri, clientId, "collectors", Topics.DEFAULT, Duration.ofMinutes(5),
                Duration.ofMillis(100), Duration.ofSeconds(1), credentials);
    }

    @Test
    void collectorsInOneGroupSplitTheExamples() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            Path inboxA = dir.resolve("a/inbox");
            Path inboxB = dir.resolve("b/inbox");
            MqttClient device = TestMqtt.client(broker.uri(), "gate-03");
            device.connect(new MqttConnectionOptions());
            try (HardExampleCollector a = HardExampleCollector.start(settings(broker.uri(), "collector-a"),
                    exactOnly(inboxA));
                 HardExampleCollector b = HardExampleCollector.start(settings(broker.uri(), "collector-b"),
                    exactOnly(inboxB))) {
                assertTrue(a.awaitSubscribed(Duration.ofSeconds(10)) && b.awaitSubscribed(Duration.ofSeconds(10)));
                for (int seq = 1; seq <= 10; seq++) {
                    publish(device, "edgeloop/gate-03/front/hard",
                            HardExamples.payload("gate-03", "front", seq, HardExamples.jpeg(100 + seq)));
                }
                await(() -> a.summary().stored() + b.summary().stored() == 10, "10 examples stored in total");
                assertTrue(a.summary().stored() > 0 && b.summary().stored() > 0,
                        "both collectors got a share: " + a.summary() + " / " + b.summary());
                java.util.Set<String> idsA = new java.util.HashSet<>();
                Inbox.open(inboxA).list().forEach(e -> idsA.add(e.sidecar().id()));
                Inbox.open(inboxB).list().forEach(e -> assertTrue(!idsA.contains(e.sidecar().id()),
                        "delivered to both collectors: " + e.sidecar().id()));
            } finally {
                device.disconnect();
                device.close();
            }
        }
    }

    /** Blocky test images share many hash bits; this test is about the split, so only exact duplicates count. */
    private static HardExampleIntake exactOnly(Path inboxDir) throws java.io.IOException {
        return new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, -1, 0, Clock.systemUTC());
    }

    private static CollectorSettings settings(String uri, String clientId) {
        return new CollectorSettings(uri, clientId, "collectors", Topics.DEFAULT, Duration.ofMinutes(5),
                Duration.ofMillis(100), Duration.ofSeconds(1), MqttCredentials.NONE);
    }

    @Test
    void exampleThatCannotBeWrittenIsNotAcknowledgedAndArrivesAgain() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            redeliveredAfterWriteFailure(broker.uri());
        }
    }

    @Test
    void exampleThatCannotBeWrittenIsRedeliveredByTheEmbeddedBroker() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            redeliveredAfterWriteFailure(broker.uri());
        }
    }

    private void redeliveredAfterWriteFailure(String uri) throws Exception {
        Path inboxDir = dir.resolve("inbox");
        CollectorSettings settings = new CollectorSettings(uri, "collector-fail", "collectors", Topics.DEFAULT,
                Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofMillis(400), MqttCredentials.NONE);
        HardExampleIntake intake = intake(inboxDir);
        // A file where the device directory must go: every write fails until it is removed.
        Path obstacle = inboxDir.resolve("gate-01");
        java.nio.file.Files.writeString(obstacle, "in the way");
        MqttClient device = TestMqtt.client(uri, "gate-01");
        device.connect(new MqttConnectionOptions());
        try (HardExampleCollector collector = HardExampleCollector.start(settings, intake)) {
            assertTrue(collector.awaitSubscribed(Duration.ofSeconds(10)), "collector did not subscribe");
            publish(device, "edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", 1, HardExamples.jpeg(31)));
            await(() -> collector.summary().failed() >= 2, "the failed example delivered again after reconnecting");
            java.nio.file.Files.delete(obstacle);
            await(() -> collector.summary().stored() == 1, "the example stored once the disk is writable");
            assertTrue(collector.connections() >= 2, "reconnected to get the redelivery");
        } finally {
            device.disconnect();
            device.close();
        }
        assertEquals(1, Inbox.open(inboxDir).list().size());
    }

    private void collectStoreRestart(String uri) throws Exception {
        Path inboxDir = dir.resolve("inbox");
        CollectorSettings settings = new CollectorSettings(uri, "collector-test", "collectors", Topics.DEFAULT,
                Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofSeconds(1), MqttCredentials.NONE);
        MqttClient device = TestMqtt.client(uri, "gate-01");
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        device.connect(options);
        try {
            HardExampleCollector collector = HardExampleCollector.start(settings, intake(inboxDir));
            try {
                assertTrue(collector.awaitSubscribed(Duration.ofSeconds(10)), "collector did not subscribe");
                for (int seq = 1; seq <= 3; seq++) {
                    publish(device, "edgeloop/gate-01/front/hard",
                            HardExamples.payload("gate-01", "front", seq, HardExamples.jpeg(seq)));
                }
                publish(device, "edgeloop/gate-01/front/hard", "{\"schema\":1}".getBytes(StandardCharsets.UTF_8));
                publish(device, "edgeloop/gate-01/front/hard",
                        HardExamples.payload("gate-01", "front", 1, HardExamples.jpeg(1)));
                await(() -> collector.summary().received() == 5, "5 messages received");
                assertEquals(new CollectorStats.Summary(5, 3, 1, 0, 1, 0, 0), collector.summary());
                assertEquals(3, Inbox.open(inboxDir).list().size());
            } finally {
                collector.close();
            }

            // Collector away: the broker keeps its session and queues what the device publishes.
            for (int seq = 4; seq <= 5; seq++) {
                publish(device, "edgeloop/gate-01/yard/hard",
                        HardExamples.payload("gate-01", "yard", seq, HardExamples.jpeg(seq)));
            }

            try (HardExampleCollector again = HardExampleCollector.start(settings, intake(inboxDir))) {
                // the 2 stored, judged on one summary in which every message received has its outcome (a
                // redelivery may be arriving meanwhile)
                CollectorStats.Summary summary = again.summary();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!(summary.stored() == 2 && settled(summary)) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    summary = again.summary();
                }
                // At least once: the broker may redeliver an example of the first session whose acknowledgement
                // it had not processed when that collector closed; the inbox recognises it as a duplicate.
                assertEquals(2, summary.stored(), summary.toString());
                assertEquals(summary.received() - 2, summary.duplicates() + summary.nearDuplicates(),
                        summary.toString());
                assertEquals(0, summary.rejected(), summary.toString());
            }
            assertEquals(5, Inbox.open(inboxDir).list().size());
            assertEquals(2, Inbox.open(inboxDir).list().stream()
                    .filter(e -> e.sidecar().camera().equals("yard")).count());
        } finally {
            device.disconnect();
            device.close();
        }
    }

    private static HardExampleIntake intake(Path inboxDir) throws java.io.IOException {
        return new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, 3, 0, Clock.systemUTC());
    }

    private static void publish(MqttClient client, String topic, byte[] payload) throws Exception {
        client.publish(topic, new MqttMessage(payload, 1, false, null));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Whether every message the collector received has an outcome. */
    private static boolean settled(CollectorStats.Summary s) {
        return s.received() == s.stored() + s.duplicates() + s.nearDuplicates() + s.rejected() + s.throttled()
                + s.failed();
    }
}

package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.TrainerServices;
import io.edgeloop.trainer.collect.HardExamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import io.edgeloop.trainer.broker.TcpRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CommandLines.execute(new CollectCommand(), new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void badOptionsExitTwoWithOneLineReason() {
        assertEquals(2, run("--broker", "mqtt://x:1", "--dir", dir.toString()));
        assertEquals("trainer collect: broker is \"mqtt://x:1\", allowed tcp://host:port, ssl://host:port,"
                + " ws://host:port or wss://host:port\n", err.toString());

        StringWriter err2 = new StringWriter();
        assertEquals(2, CommandLines.execute(new CollectCommand(), new PrintWriter(out), new PrintWriter(err2),
                "--broker", "tcp://127.0.0.1:1", "--dir", dir.toString(), "--group", "a/b"));
        assertEquals("trainer collect: shared subscription group is \"a/b\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63}"
                + " (1-64 ASCII letters, digits, '_' or '-', starting with a letter or digit)\n", err2.toString());

        StringWriter err3 = new StringWriter();
        assertEquals(2, CommandLines.execute(new CollectCommand(), new PrintWriter(out), new PrintWriter(err3),
                "--dir", dir.toString()));
        assertEquals("trainer collect: Missing required option: '--broker=URI' (see 'trainer collect --help')\n",
                err3.toString());

        StringWriter err4 = new StringWriter();
        Path none = dir.resolve("pw");
        assertEquals(2, CommandLines.execute(new CollectCommand(), new PrintWriter(out), new PrintWriter(err4),
                "--broker", "tcp://127.0.0.1:1", "--dir", dir.toString(), "--username", "u", "--password-file",
                none.toString()));
        assertEquals("trainer collect: --password-file " + none + " not found, allowed a readable file with the"
                + " password on its first line\n", err4.toString());
    }

    @Test
    void errorsNameTheCommandUnderTheTrainersMainCommand() {
        StringWriter e = new StringWriter();
        assertEquals(2, TrainerMain.execute(new String[] {"collect", "--broker", "mqtt://x:1", "--dir",
            dir.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(e), TrainerServices.defaults()));
        assertTrue(e.toString().startsWith("trainer collect: broker is \"mqtt://x:1\""), e.toString());
        StringWriter e2 = new StringWriter();
        assertEquals(2, TrainerMain.execute(new String[] {"label", "list", "--inbox", dir.resolve("none").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(e2), TrainerServices.defaults()));
        assertEquals("trainer label list: --inbox " + dir.resolve("none") + " not found, allowed the inbox directory"
                + " 'trainer collect --dir DIR' fills (DIR/inbox)\n", e2.toString());
    }

    @Test
    void collectsForADurationAndPrintsTheSummary() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            Thread publisher = new Thread(() -> {
                try {
                    MqttClient device = TestMqtt.client(broker.uri(), "gate-07");
                    MqttConnectionOptions options = new MqttConnectionOptions();
                    device.connect(options);
                    Thread.sleep(800);
                    device.publish("edgeloop/gate-07/cam/hard", new MqttMessage(
                            HardExamples.payload("gate-07", "cam", 1, HardExamples.jpeg(21)), 1, false, null));
                    device.publish("edgeloop/gate-07/cam/hard", new MqttMessage(new byte[] {'x'}, 1, false, null));
                    device.disconnect();
                    device.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            publisher.start();
            int code = run("--broker", broker.uri(), "--dir", dir.toString(), "--client-id", "cmd-test",
                    "--duration", "3");
            publisher.join();
            assertEquals(0, code, err.toString());
            assertTrue(out.toString().endsWith("Summary: received 2, stored 1, duplicates 0 (exact 0, near 0),"
                    + " rejected 1, throttled 0, failed 0\nTelemetry: 0 metrics messages, 0 telemetry lines, 0 cameras"
                    + " without predictions, 0 rejected, 0 failed\n"), out.toString());
            try (var files = Files.walk(dir.resolve("inbox/gate-07/cam"))) {
                assertEquals(2, files.filter(Files::isRegularFile).count());
            }
            assertTrue(out.toString().contains("\nRecording drift telemetry ($share/collectors/edgeloop/+/metrics)"
                    + " into " + dir.resolve("telemetry") + "\n"), out.toString());
        }
    }

    @Test
    void noTelemetryLeavesTheMetricsAlone() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            assertEquals(0, run("--broker", broker.uri(), "--dir", dir.toString(), "--client-id", "cmd-quiet",
                    "--no-telemetry", "--duration", "1"), err.toString());
            assertTrue(out.toString().endsWith("Summary: received 0, stored 0, duplicates 0 (exact 0, near 0),"
                    + " rejected 0, throttled 0, failed 0\n"), out.toString());
            assertTrue(!out.toString().contains("telemetry"), out.toString());
            assertTrue(Files.notExists(dir.resolve("telemetry")));
        }
    }

    @Test
    void aBrokerThatRefusesTheConnectionFailsNamingItAndTheAttempts() throws Exception {
        int port = Mosquitto.freePort(); // nothing listens there
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TrainerMain.execute(new String[] {"collect", "--broker", "tcp://127.0.0.1:" + port, "--dir",
            dir.toString(), "--client-id", "cmd-test", "--duration", "30"}, new PrintWriter(o), new PrintWriter(e),
                TrainerServices.defaults());
        assertEquals(1, code, o.toString());
        assertEquals("trainer collect: cannot connect to broker tcp://127.0.0.1:" + port + " as client id cmd-test:"
                + " 3 attempts failed, the last with: Unable to connect to server (Connection refused)\n",
                e.toString());
        assertEquals("", o.toString(), "no 'Collecting' line and no summary: nothing was collected");
    }

    @Test
    void aBrokerThatRejectsTheLoginFailsNamingTheReason() throws Exception {
        try (Mosquitto broker = Mosquitto.startWithPassword(dir.resolve("mosquitto"), "collector", "s3cret")) {
            Path pw = Files.writeString(dir.resolve("pw"), "wrong\n");
            assertEquals(1, run("--broker", broker.uri(), "--dir", dir.toString(), "--client-id", "cmd-test",
                    "--username", "collector", "--password-file", pw.toString(), "--duration", "30"));
            assertEquals("trainer collect: cannot connect to broker " + broker.uri() + " as client id cmd-test:"
                    + " 3 attempts failed, the last with: Not authorized.\n", err.toString());
        }
    }

    @Test
    void aConnectionLostWhileCollectingIsRetriedAndNothingSentMeanwhileIsLost() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"));
             TcpRelay line = TcpRelay.to(broker.port())) {
            AtomicInteger code = new AtomicInteger(-1);
            Thread collect = new Thread(() -> code.set(run("--broker", line.uri(), "--dir", dir.toString(),
                    "--client-id", "cmd-outage", "--duration", "8")));
            collect.start();
            awaitOutput("Collecting hard examples from " + line.uri());
            publish(broker.uri(), 1);
            awaitStored(1);
            line.cut(); // the collector loses its connection and cannot get back for a while
            publish(broker.uri(), 2); // the broker queues it in the collector's session
            publish(broker.uri(), 3);
            Thread.sleep(1500); // a few refused reconnects
            line.restore();
            awaitStored(3);
            collect.join();
            assertEquals(0, code.get(), err.toString());
            assertTrue(line.accepted() >= 2, "reconnected through the relay");
            assertTrue(out.toString().contains("Summary: received 3, stored 3, duplicates 0 (exact 0, near 0),"
                    + " rejected 0, throttled 0, failed 0\nTelemetry: "), out.toString());
        }
    }

    private static void publish(String uri, int seq) throws Exception {
        MqttClient device = TestMqtt.client(uri, "gate-08");
        device.connect(new MqttConnectionOptions());
        device.publish("edgeloop/gate-08/cam/hard", new MqttMessage(
                HardExamples.payload("gate-08", "cam", seq, HardExamples.jpeg(80 + seq)), 1, false, null));
        device.disconnect();
        device.close();
    }

    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!out.toString().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in: " + out + err);
            Thread.sleep(20);
        }
    }

    private void awaitStored(int count) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            long stored;
            try (var files = Files.walk(dir.resolve("inbox"))) {
                stored = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".json") && !n.startsWith(".")).count();
            }
            if (stored == count) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, stored + " of " + count + " examples stored: " + out + err);
            Thread.sleep(50);
        }
    }
}

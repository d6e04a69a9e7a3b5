package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.TrainerServices;
import io.edgeloop.trainer.collect.HardExamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertEquals("trainer collect: Missing required option: '--broker=URI' (see 'trainer collect --help')\n", err3.toString());
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
        assertEquals("trainer label list: inbox " + dir.resolve("none") + " not found (the collector's DIR/inbox)\n",
                e2.toString());
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
                    + " rejected 1, throttled 0, failed 0\n"), out.toString());
            try (var files = Files.walk(dir.resolve("inbox/gate-07/cam"))) {
                assertEquals(2, files.filter(Files::isRegularFile).count());
            }
        }
    }
}

package io.edgeloop.trainer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.cli.DeployModelCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer deploy --shadow} against a device on a real mosquitto: the command carries the shadow and its rule,
 * the reports are printed as they arrive, and the exit code is 0 only when the device promotes the candidate;
 * {@code --abort} sends the same signed model with {@code end}. Bad shadow options are refused naming the option.
 */
class ShadowDeployTest {

    private static Mosquitto broker;

    @TempDir
    static Path brokerDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int deploy(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return CommandLines.execute(new DeployModelCommand(), new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void aWorseShadowFailsAnEqualOneIsPromotedAndAbortEndsOne() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.12.07-1").file();
        KeyPair keys = TestModels.keys(5);
        Path key = TestModels.privateKeyFile(dir, keys);
        try (FakeDevice device = new FakeDevice(broker.uri(), "gate-07", TrustStore.of(List.of(keys.getPublic())))
                .listen()) {
            device.shadowAgreed = 6;
            int code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "gate-07", "--shadow", "500f", "--shadow-rate", "0.5", "--min-agreement", "0.9",
                    "--wait", "20");
            assertEquals(1, code, out + "\n" + err);
            DeployCommand sent = device.commands.get(0);
            assertEquals(0.5, sent.shadow().rate());
            assertEquals(500, sent.shadow().frames());
            assertEquals(0.9, sent.shadow().minAgreement());
            assertEquals(50, sent.shadow().minFrames());
            assertTrue(out.toString().contains("gate-07: shadowing; 10 compared, 0 skipped, agreement 0.600, shirt"
                    + " 0.600 of 10\n"), out.toString());
            assertTrue(out.toString().contains("gate-07: shadow-dropped (agreement below the rule); 10 compared"),
                    out.toString());
            assertTrue(err.toString().startsWith("trainer deploy: deploy not active: gate-07 shadow-dropped"),
                    err.toString());

            code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "gate-07", "--abort", "--wait", "20");
            assertEquals(1, code, out + "\n" + err);
            assertTrue(out.toString().contains("gate-07: shadow-dropped (end: ABORT)"), out.toString());
            DeployCommand abort = device.commands.get(1);
            assertEquals(ShadowEnd.ABORT, abort.end());
            // the same signed model: the device checks the end against the shadow's signature
            assertEquals(sent.signature(), abort.signature());
            assertEquals(sent.sha256(), abort.sha256());
            device.shadowAgreed = 10;
            code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "gate-07", "--shadow", "10m", "--wait", "20");
            assertEquals(0, code, out + "\n" + err);
            assertEquals(600, device.commands.get(2).shadow().seconds());
            assertTrue(out.toString().contains("gate-07: active (promoted from shadow); 10 compared, 0 skipped,"
                    + " agreement 1.000"), out.toString());

        }
    }

    @Test
    void badShadowOptionsAreRefusedNamingTheOption() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.12.07-2").file();
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(6));
        String[] base = {"--model", model.toString(), "--key", key.toString(), "--broker", "tcp://127.0.0.1:1",
            "--device", "gate-07"};
        assertEquals(2, deploy(concat(base, "--shadow", "soon")));
        assertEquals("trainer deploy: --shadow is 'soon', allowed SECONDS (600, 600s, 10m, 1h) or FRAMES (2000f)\n",
                err.toString());
        assertEquals(2, deploy(concat(base, "--shadow", "60", "--shadow-rate", "1.5")));
        assertEquals("trainer deploy: --shadow-rate is 1.5, allowed a number in (0, 1]\n", err.toString());
        assertEquals(2, deploy(concat(base, "--min-agreement", "0.9")));
        assertEquals("trainer deploy: --min-agreement is given without --shadow, allowed only with it\n",
                err.toString());
        assertEquals(2, deploy(concat(base, "--shadow", "60", "--abort")));
        assertEquals("trainer deploy: --shadow and --abort are both given, allowed one of them (start a shadow, or"
                + " end the running one)\n", err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

package io.edgeloop.trainer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.cli.DeployModelCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staged deploys ({@code --group}, {@code --fleet --canary}) against a real mosquitto and fake devices. */
class RolloutTest {

    private static Mosquitto broker;

    @TempDir
    static Path brokerDir;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<FakeDevice> devices = new ArrayList<>();
    private Path model;
    private Path key;
    private TrustStore trust;

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

    @AfterEach
    void closeDevicesAndClearTheFleetCommand() throws Exception {
        for (FakeDevice d : devices) {
            d.close();
        }
        try (Deployer deployer = Deployer.connect(broker.uri(), "clear-fleet", Topics.DEFAULT)) {
            deployer.clear(DeployTarget.fleet());
        }
    }

    private void setUp(String version, int seed) throws Exception {
        model = TestModels.write(dir.resolve("model.onnx"), version).file();
        KeyPair keys = TestModels.keys(seed);
        key = TestModels.privateKeyFile(dir, keys);
        trust = TrustStore.of(List.of(keys.getPublic()));
    }

    private FakeDevice device(String id, String... groups) throws Exception {
        FakeDevice d = new FakeDevice(broker.uri(), id, trust, List.of(groups)).listen();
        devices.add(d);
        return d;
    }

    private int deploy(String... args) {
        List<String> all = new ArrayList<>(List.of("--model", model.toString(), "--key", key.toString(),
                "--broker", broker.uri()));
        all.addAll(List.of(args));
        return CommandLines.execute(new DeployModelCommand(), new PrintWriter(out), new PrintWriter(err),
                all.toArray(String[]::new));
    }

    @Test
    void aCanaryOfTwoGoesFirstThenTheRest() throws Exception {
        setUp("7", 21);
        List<FakeDevice> fleet = new ArrayList<>();
        for (String id : List.of("c6-f", "c6-b", "c6-e", "c6-a", "c6-d", "c6-c")) {
            fleet.add(device(id));
        }
        assertEquals(0, deploy("--fleet", "--canary", "2", "--wait", "20", "--soak", "1"), err.toString() + out);
        String text = out.toString();
        String wave2 = "Wave 2/2: c6-c, c6-d, c6-e, c6-f\n";
        assertTrue(text.startsWith("Rollout to 6 devices in 2 waves (canary 2)\nWave 1/2 (canary): c6-a, c6-b\n"),
                text);
        int soak = text.indexOf("  canary active; watching it for 1 s (--soak)\n");
        int second = text.indexOf(wave2);
        assertTrue(soak > 0 && second > soak, text);
        // nothing from the rest before their wave; the canary is active before the soak
        for (String rest : List.of("c6-c", "c6-d", "c6-e", "c6-f")) {
            assertTrue(text.indexOf("  " + rest + ": ") > second, rest + " before its wave:\n" + text);
        }
        assertTrue(text.indexOf("  c6-a: active\n") < soak && text.indexOf("  c6-b: active\n") < soak, text);
        assertTrue(text.endsWith("Rollout complete: fashion 7 active on 6 of 6 devices\n"
                + "  retained on the fleet topic for devices that come online later\n"), text);
        Thread.sleep(300); // the retained fleet command reaches every device; none applies it again
        for (FakeDevice d : fleet) {
            assertEquals(1, d.commands.size());
        }
        // a device that comes online later gets the model from the fleet topic
        FakeDevice late = device("c6-late");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (late.commands.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("7", late.commands.get(0).version());
    }

    @Test
    void aCanaryThatRollsBackHaltsTheRolloutAndNoOtherDeviceGetsTheCommand() throws Exception {
        setUp("8", 22);
        FakeDevice a = device("rb-a");
        FakeDevice b = device("rb-b").rollsBack();
        List<FakeDevice> rest = List.of(device("rb-c"), device("rb-d"), device("rb-e"), device("rb-f"));
        assertEquals(1, deploy("--fleet", "--canary", "30%", "--wait", "20", "--soak", "3"));
        String reason = "rb-b rolled-back (model failed inference on 9 of 10 frames after activation; restored the"
                + " previous model)";
        assertEquals("trainer deploy: rollout halted: " + reason + "\n", err.toString());
        String text = out.toString();
        assertTrue(text.contains("Wave 1/2 (canary): rb-a, rb-b\n"), text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 80), "80 columns:\n" + text);
        assertTrue(text.endsWith("Rollout halted in wave 1/2: rb-b rolled-back (model failed inference on 9 of 10\n"
                + "    frames after activation; restored the previous model)\n"
                + "  switched to fashion 8: rb-a\n"
                + "  not sent: rb-c, rb-d, rb-e, rb-f\n"
                + "  not reverted; to roll back by hand, per device:\n"
                + "    trainer deploy --model PREVIOUS.onnx --key KEY --device ID --wait 60\n"), text);
        Thread.sleep(500);
        assertEquals(1, a.commands.size());
        assertEquals(1, b.commands.size());
        for (FakeDevice d : rest) {
            assertEquals(0, d.commands.size(), "a device after the halt got a command");
        }
        // nothing retained on the fleet topic: a device connecting now gets nothing
        FakeDevice later = device("rb-later");
        Thread.sleep(500);
        assertEquals(0, later.commands.size());
    }

    @Test
    void aShadowCanaryMustPromoteBeforeTheRestGetThePlainCommand() throws Exception {
        setUp("11", 25);
        FakeDevice a = device("sc-a");
        List<FakeDevice> rest = List.of(device("sc-b"), device("sc-c"), device("sc-d"));
        assertEquals(0, deploy("--fleet", "--canary", "1", "--wait", "20", "--shadow", "5s", "--min-agreement",
                "0.8"), err.toString() + out);
        String text = out.toString();
        int promoted = text.indexOf("  sc-a: active (promoted from shadow); 10 compared, 0 skipped, agreement"
                + " 1.000");
        int shadowing = text.indexOf("  sc-a: shadowing; 10 compared");
        int wave2 = text.indexOf("Wave 2/2: sc-b, sc-c, sc-d\n");
        assertTrue(shadowing > 0 && promoted > shadowing && wave2 > promoted, text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 80), "80 columns:\n" + text);
        assertEquals(5, a.commands.get(0).shadow().seconds());
        assertEquals(0.8, a.commands.get(0).shadow().minAgreement());
        for (FakeDevice d : rest) {
            assertEquals(1, d.commands.size());
            assertEquals(null, d.commands.get(0).shadow(), "only the canary shadows");
            assertEquals(a.commands.get(0).issuedAt(), d.commands.get(0).issuedAt());
        }
    }

    @Test
    void aShadowCanaryThatDropsTheCandidateHaltsTheRollout() throws Exception {
        setUp("12", 26);
        FakeDevice a = device("sd-a");
        a.shadowAgreed = 6;
        List<FakeDevice> rest = List.of(device("sd-b"), device("sd-c"));
        assertEquals(1, deploy("--fleet", "--canary", "1", "--wait", "20", "--shadow", "5s"));
        assertEquals("trainer deploy: rollout halted: sd-a shadow-dropped (agreement below the rule); 10 compared,"
                + " 0 skipped, agreement 0.600, shirt 0.600 of 10\n", err.toString());
        assertTrue(out.toString().contains("  switched to fashion 12: none\n  not sent: sd-b, sd-c\n"),
                out.toString());
        Thread.sleep(300);
        for (FakeDevice d : rest) {
            assertEquals(0, d.commands.size(), "a device after the dropped shadow got a command");
        }
    }

    @Test
    void groupTargetsOnlyThatGroup() throws Exception {
        setUp("9", 23);
        FakeDevice lobby1 = device("g-lobby-1", "lobby");
        FakeDevice lobby2 = device("g-lobby-2", "lobby", "canary");
        FakeDevice yard = device("g-yard", "yard");
        assertEquals(0, deploy("--group", "lobby", "--wait", "20"), err.toString() + out);
        assertTrue(out.toString().startsWith("Rollout to 2 devices in 1 wave (group lobby)\n"
                + "Wave 1/1: g-lobby-1, g-lobby-2\n"), out.toString());
        assertTrue(out.toString().endsWith("Rollout complete: fashion 9 active on 2 of 2 devices\n"),
                out.toString());
        Thread.sleep(300);
        assertEquals(1, lobby1.commands.size());
        assertEquals(1, lobby2.commands.size());
        assertEquals(0, yard.commands.size());
    }

    @Test
    void badInputIsOneClearLineWithExitTwo() throws Exception {
        setUp("10", 24);
        device("bi-a", "lobby");
        device("bi-b");
        assertEquals(2, deploy("--group", "nope", "--wait", "5"));
        assertEquals("trainer deploy: --group nope: no online device is in this group, allowed one of the groups"
                + " online devices report: [lobby]\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--fleet", "--canary", "150%", "--wait", "5"));
        assertEquals("trainer deploy: --canary 150% is out of range, allowed N% with N in 1..99, or a device count"
                + " N >= 1\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--device", "bi-a", "--canary", "1", "--wait", "5"));
        assertEquals("trainer deploy: --canary 1 needs --fleet, allowed --fleet --canary N% or N (with"
                + " --canary-group G to take the canary from a group)\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--fleet", "--canary", "1"));
        assertEquals("trainer deploy: --canary needs --wait SECONDS (a canary is judged by the devices' status),"
                + " allowed 1 or more seconds\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--group", "lobby", "--wait", "5", "--shadow", "60"));
        assertEquals("trainer deploy: --shadow with --group lobby is not supported, allowed --fleet --canary N"
                + " --shadow (the canary shadows, then the rest switch)\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--fleet", "--canary", "1", "--wait", "30", "--shadow", "60"));
        assertEquals("trainer deploy: --wait 30 s is not longer than the canary's shadow (60 s), allowed a --wait"
                + " longer than --shadow (the canary wave is followed until its devices promote)\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--fleet", "--canary", "1", "--wait", "30", "--promote"));
        assertEquals("trainer deploy: --promote and --abort go to one device or the fleet, not with --group or"
                + " --canary: end a canary's shadow on its device(s) with --device ID\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, deploy("--group", "lobby"));
        assertEquals("trainer deploy: --group lobby needs --wait SECONDS (each device's command is followed until"
                + " it is active), allowed 1 or more seconds\n", err.toString());
    }
}

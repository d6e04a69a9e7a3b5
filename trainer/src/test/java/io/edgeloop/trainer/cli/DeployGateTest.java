package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.deploy.Deployer;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.job.KeyPairRequest;
import io.edgeloop.trainer.job.KeysJob;
import io.edgeloop.trainer.job.LabelCheck;
import io.edgeloop.trainer.job.LabelJob;
import io.edgeloop.trainer.job.LabelRequest;
import io.edgeloop.trainer.testing.ColourImages;
import io.edgeloop.trainer.testing.Retained;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer deploy --gate} against a real mosquitto holding the devices' retained status and a real registry:
 * two generations fitted on colour images (v2 also on three labelled hard examples), and a "scrambled" copy of v2
 * whose card lists its classes in reverse, a model that is really worse on almost every image. The gate passes v2
 * against the v1 a device runs, judging on the held-out images plus the hard examples v2 was not trained on; it
 * refuses the scrambled one with its figures and publishes nothing, unless {@code --force}; it refuses to guess
 * when it cannot tell what a device runs.
 */
class DeployGateTest {


    @TempDir
    static Path shared;
    static Path heldOut;
    static Path registry;
    static Path inbox;
    static Path key;
    static Path v1;
    static Path v2;
    static Path scrambled;
    static Mosquitto broker;

    @BeforeAll
    static void generationsAndBroker() throws Exception {
        Path train = shared.resolve("train");
        heldOut = shared.resolve("held-out");
        ColourImages.write(train, 10, 1);
        ColourImages.write(heldOut, 15, 2);
        registry = shared.resolve("models");
        Path base = shared.resolve("base.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
        Run fit1 = fit(base, train, "run1", "1");
        assertEquals(0, fit1.code(), fit1.err());
        v1 = registry.resolve("colours/1/model.onnx");

        // six hard examples, all labelled; three are exported into v2's training tree, three stay in the inbox only
        inbox = shared.resolve("inbox");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(inbox), Topics.DEFAULT, -1, 0,
                Clock.systemUTC());
        for (int i = 0; i < 6; i++) {
            BufferedImage image = ColourImages.image(ColourImages.COLOURS[i % 3], new Random(100 + i));
            byte[] jpeg = HardExamples.jpeg(image, 0.95f);
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", i + 1, jpeg)));
        }
        LabelJob labels = LabelJob.open(inbox);
        List<InboxEntry> entries = labels.list();
        for (InboxEntry e : entries) {
            labels.set(new LabelRequest(e.id(), ColourImages.NAMES[(int) ((e.sidecar().seq() - 1) % 3)], "ana",
                    LabelCheck.against(train)));
        }
        Path train2 = shared.resolve("train2");
        ColourImages.copyTree(train, train2);
        for (InboxEntry e : labels.list().subList(0, 3)) {
            Files.copy(e.image(), train2.resolve(e.sidecar().label()).resolve("hard-" + e.sidecar().id() + ".jpg"));
        }
        Run fit2 = fit(v1, train2, "run2", "2");
        assertEquals(0, fit2.code(), fit2.err());
        v2 = registry.resolve("colours/2/model.onnx");

        ModelPackage pkg = ModelPackage.read(v2);
        List<String> reversed = new ArrayList<>(pkg.card().labels());
        Collections.reverse(reversed);
        ModelCard wrong = pkg.card().toBuilder().setLabels(reversed).setVersion("3").build();
        Path run3 = shared.resolve("run3");
        ColourImages.copyTree(shared.resolve("run2"), run3);
        ModelPackage.write(pkg.model(), wrong, run3.resolve("model.onnx"));
        Run add = Run.of("models", "add", run3.toString(), "--data", train2.toString(), "--registry",
                registry.toString());
        assertEquals(0, add.code(), add.err());
        scrambled = registry.resolve("colours/3/model.onnx");

        key = KeysJob.generate(KeyPairRequest.in(shared.resolve("keys"))).privateKey();
        broker = Mosquitto.start(Files.createDirectories(shared.resolve("broker")));
        for (String device : List.of("gate-01", "gate-02", "gate-03", "gate-04")) {
            Retained.publishStatus(broker.uri(), device, new ModelRef("colours", "1", Sha256.hex(v1)),
                    device.equals("gate-01") ? List.of("lobby") : List.of());
        }
        Retained.publishStatus(broker.uri(), "yard-09", new ModelRef("colours", "0", "ab".repeat(32)));
        Retained.publishStatus(broker.uri(), "new-box", null);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBetterModelPassesOnHeldOutImagesPlusTheHardExamplesItWasNotTrainedOn() throws Exception {
        Run r = deploy(v2, "gate-01", "--inbox", inbox.toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gate: judging colours 2 on 45 held-out image(s) + 3 labelled hard example(s)\n"
                + "gate: left out 3 hard example(s) a model was trained on, 0 of other classes\n"
                + "gate: against colours 1, run by gate-01\n"), r.out());
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        assertTrue(r.out().contains("  only the baseline right: "), r.out());
        assertTrue(r.out().contains("gate: passed against colours 1\n"), r.out());
        assertTrue(r.out().contains("Published;"), r.out());
        assertNotNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("gate-01")), "the deploy was published");
    }

    @Test
    void aWorseModelIsRefusedWithItsFiguresAndNothingIsPublished() throws Exception {
        Run r = deploy(scrambled, "gate-02", "--inbox", inbox.toString());

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("  verdict: the candidate is worse (alpha 0.05)\n"), r.out());
        assertTrue(r.out().contains("gate: REFUSED, significantly worse (McNemar p = "), r.out());
        assertTrue(r.err().startsWith("trainer deploy: gate: not deployed (against colours 1: significantly worse"
                + " (McNemar p = "), r.err());
        assertTrue(r.err().endsWith("); deploy anyway with --force\n"), r.err());
        assertNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("gate-02")),
                "a refused model is never published");
    }

    @Test
    void forceDeploysARefusedModelAndSaysSo() throws Exception {
        Run r = deploy(scrambled, "gate-03", "--force");

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gate: REFUSED, "), r.out());
        assertTrue(r.out().contains("gate: --force given, deploying although the gate refuses the model (against"
                + " colours 1: significantly worse"), r.out());
        assertNotNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("gate-03")));
    }

    @Test
    void maxDropRefusesALowerAccuracyTheTestCannotCallSignificant() {
        // v1 against itself: identical outcomes, never significant; a drop of 0 points is not more than 0
        Run same = deploy(v1, "gate-04", "--baseline", v1.toString(), "--max-drop", "0");
        assertEquals(0, same.code(), same.out() + same.err());
        assertTrue(same.out().contains("gate: passed against colours 1\n"), same.out());
        Run explicit = deploy(v2, "gate-04", "--baseline", scrambled.toString());
        assertEquals(0, explicit.code(), explicit.out() + explicit.err());
        assertTrue(explicit.out().contains("  verdict: the candidate is better (alpha 0.05)\n"), explicit.out());
    }

    @Test
    void theGateNeverGuessesWhatADeviceRuns() throws Exception {
        Run unregistered = deploy(v2, "yard-09");
        assertEquals(1, unregistered.code(), unregistered.out());
        assertEquals("trainer deploy: yard-09 run(s) colours 0 (sha256 abababababab…), which is not in the registry "
                + registry + "; register it with 'trainer models add', name it with --baseline MODEL, or deploy"
                + " without the gate (--force)\n", unregistered.err());

        Run silent = deploy(v2, "ghost-01");
        assertEquals(1, silent.code(), silent.out());
        assertTrue(silent.err().startsWith("trainer deploy: the gate cannot tell what ghost-01 runs: no retained"
                + " status from device ghost-01 on " + broker.uri() + " within 1 s;"), silent.err());
        assertNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("yard-09")));
        assertNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("ghost-01")));

        Run fresh = deploy(v2, "new-box");
        assertEquals(0, fresh.code(), fresh.out() + fresh.err());
        assertTrue(fresh.out().contains("gate: new-box runs no model yet: nothing to beat there\ngate: passed,"
                + " nothing to beat\n"), fresh.out());
    }

    @Test
    void aGroupDeployIsJudgedAgainstWhatThatGroupRunsOnly() throws Exception {
        // the fleet has yard-09 on an unregistered model: a fleet gate stops there; the lobby group does not have it
        Run fleet = Run.of("deploy", "--model", v2.toString(), "--key", key.toString(), "--broker", broker.uri(),
                "--fleet", "--registry", registry.toString(), "--status-wait", "1", "--gate", heldOut.toString(),
                "--client-id", "gate-test-fleet");
        assertEquals(1, fleet.code(), fleet.out());
        assertTrue(fleet.err().contains("yard-09 run(s) colours 0"), fleet.err());

        Run group = Run.of("deploy", "--model", v2.toString(), "--key", key.toString(), "--broker", broker.uri(),
                "--group", "lobby", "--wait", "1", "--registry", registry.toString(), "--status-wait", "1",
                "--gate", heldOut.toString(), "--client-id", "gate-test-group");
        assertTrue(group.out().contains("gate: against colours 1, run by gate-01\n"), group.out());
        assertTrue(group.out().contains("gate: passed against colours 1\n"), group.out());
        assertFalse(group.out().contains("yard-09"), group.out());
        // past the gate the rollout starts (no real device answers here, so it ends without a final status)
        assertTrue(group.out().contains("(group lobby)\nWave 1/1: gate-01\n"), group.out());
        try (Deployer deployer = Deployer.connect(broker.uri(), "gate-test-clear", Topics.DEFAULT)) {
            deployer.clear(DeployTarget.device("gate-01"));
        }
    }

    @Test
    void badGateInputIsOneLineWithExitTwo() {
        Run noFolder = deploy(v2, "gate-01", "--gate", shared.resolve("missing").toString());
        assertEquals(2, noFolder.code(), noFolder.out());
        assertTrue(noFolder.err().startsWith("trainer deploy: --gate "), noFolder.err());
        Run forceAlone = Run.of("deploy", "--model", v2.toString(), "--key", key.toString(), "--broker",
                broker.uri(), "--device", "gate-01", "--force");
        assertEquals(2, forceAlone.code());
        assertTrue(forceAlone.err().contains("--gate"), forceAlone.err());
    }

    private static Run deploy(Path model, String device, String... more) {
        List<String> args = new ArrayList<>(List.of("deploy", "--model", model.toString(), "--key", key.toString(),
                "--broker", broker.uri(), "--device", device, "--registry", registry.toString(), "--status-wait",
                "1", "--client-id", "gate-test-" + device));
        boolean gateGiven = List.of(more).contains("--gate");
        if (!gateGiven) {
            args.addAll(List.of("--gate", heldOut.toString()));
        }
        args.addAll(List.of(more));
        return Run.of(args.toArray(String[]::new));
    }

    private static Run fit(Path from, Path data, String out, String version) {
        return Run.of("fit", "--base", from.toString(), "--data", data.toString(), "--out",
                shared.resolve(out).toString(), "--epochs", "8", "--strategy", "full", "--no-augment", "--threads",
                "1", "--seed", "2", "--name", "colours", "--model-version", version, "--register", "--registry",
                registry.toString());
    }
}

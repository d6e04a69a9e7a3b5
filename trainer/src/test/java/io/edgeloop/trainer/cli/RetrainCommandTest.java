package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
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
import io.edgeloop.trainer.loop.RoundLock;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer retrain --config loop.yaml} end to end on real parts: a registry with v1 fitted on colour images,
 * a real mosquitto holding the devices' retained status, an inbox filled through the collector's intake and labelled
 * through the inbox store as a person would. Rounds with too few new labels, with bad ones (a class the data has
 * no folder for, an image changed on disk), with enough (trained, registered, gated, published; the next round
 * has nothing to do once the device reports the new version), with mislabelled frames that make a worse model (the
 * gate stops it), a round while another holds the lock, and bad configs.
 */
class RetrainCommandTest {


    @TempDir
    static Path shared;
    static Path train;
    static Path heldOut;
    static Path registry;
    static Path key;
    static Mosquitto broker;

    @TempDir
    Path loop;

    @BeforeAll
    static void firstGenerationAndBroker() throws Exception {
        train = shared.resolve("train");
        heldOut = shared.resolve("held-out");
        ColourImages.write(train, 8, 1);
        ColourImages.write(heldOut, 12, 2);
        registry = shared.resolve("models");
        Path base = shared.resolve("base.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
        Run fit = Run.of("fit", "--base", base.toString(), "--data", train.toString(), "--out",
                shared.resolve("run1").toString(), "--epochs", "8", "--strategy", "full", "--no-augment",
                "--threads", "1", "--seed", "2", "--name", "colours", "--model-version", "1", "--register",
                "--registry", registry.toString());
        assertEquals(0, fit.code(), fit.err());
        key = KeysJob.generate(KeyPairRequest.in(shared.resolve("keys"))).privateKey();
        broker = Mosquitto.start(Files.createDirectories(shared.resolve("broker")));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void tooFewNewLabelsDoNothingAndSayWhy() throws Exception {
        Path config = workspace("shop-01", 5);
        label(inbox(12), "shop-01", 0, 3, i -> ColourImages.NAMES[i % 3]);

        Run r = Run.of("retrain", "--config", config.toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("active: colours 1 (run by shop-01)\n"), r.out());
        assertTrue(r.out().contains("labelled hard examples: "), r.out());
        assertTrue(r.out().matches("(?s).*new label\\(s\\) since 1, need 5 \\(min-new-labels\\); nothing trained\\n"),
                r.out());
        assertFalse(Files.exists(loop.resolve("models/colours/2")), "nothing registered");
        JsonNode last = ProtocolJson.parseTree(Files.readAllBytes(loop.resolve("retrain/last-round.json")));
        assertEquals("nothing-to-do", last.get("outcome").asText());
        assertTrue(last.get("labels").get("new").asInt() <= 3, last.toString());
    }

    @Test
    void badLabelsAreLeftOutNamedAndDoNotCount() throws Exception {
        Path config = workspace("shop-02", 5);
        List<InboxEntry> entries = inbox(8);
        label(entries, "shop-02", 0, 4, i -> ColourImages.NAMES[i % 3]);
        label(entries, "shop-02", 4, 6, i -> "purple"); // a class the training data has no folder for
        label(entries, "shop-02", 6, 7, i -> ColourImages.NAMES[i % 3]);
        Files.write(entries.get(6).image(), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}); // changed on disk

        Run r = Run.of("retrain", "--config", config.toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("left out: 2 labelled \"purple\", not a class folder of the training data"),
                r.out());
        assertTrue(r.out().contains("left out: " + entries.get(6).sidecar().id() + ": image "
                + entries.get(6).image() + " changed since it was received"), r.out());
        assertTrue(r.out().contains("; nothing trained\n"), r.out());
        JsonNode labels = ProtocolJson.parseTree(Files.readAllBytes(loop.resolve("retrain/last-round.json")))
                .get("labels");
        assertEquals(2, labels.get("otherClass").get("purple").asInt());
        assertEquals(1, labels.get("unreadable").size());
        assertEquals(1, labels.get("unlabelled").asInt());
        assertEquals(4, labels.get("trainedOn").asInt() + labels.get("heldOut").asInt());
    }

    @Test
    void enoughNewLabelsTrainGateAndDeployThenTheNextRoundHasNothingToDo() throws Exception {
        Path config = workspace("shop-03", 5);
        List<InboxEntry> entries = inbox(15);
        label(entries, "shop-03", 0, 15, i -> ColourImages.NAMES[i % 3]);

        Run r = Run.of("retrain", "--config", config.toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("training colours 2 from 1 on " + loop.resolve("data/train")), r.out());
        assertTrue(r.out().contains("registered " + loop.resolve("models/colours/2")), r.out());
        assertTrue(r.out().contains("gate: passed against colours 1"), r.out());
        assertTrue(r.out().contains("deployed colours 2 to shop-03: "), r.out());
        Path v2 = loop.resolve("models/colours/2/model.onnx");
        String csv = Files.readString(loop.resolve("models/colours/2/hard-examples.csv"));
        JsonNode round = ProtocolJson.parseTree(Files.readAllBytes(loop.resolve("retrain/2/round.json")));
        assertEquals("deployed", round.get("outcome").asText());
        int trainedOn = round.get("labels").get("trainedOn").asInt();
        assertEquals(15, trainedOn + round.get("labels").get("heldOut").asInt());
        assertEquals(trainedOn, csv.lines().count() - 1, csv);
        assertTrue(round.get("labels").get("heldOut").asInt() > 0, "with holdout 0.2 some of 15 are kept: " + round);
        byte[] command = Retained.message(broker.uri(), Topics.DEFAULT.deploy("shop-03"));
        assertNotNull(command, "the deploy command was published");

        // the device activates it and reports v2: nothing new since v2
        Retained.publishStatus(broker.uri(), "shop-03", new ModelRef("colours", "2", Sha256.hex(v2)));
        Run again = Run.of("retrain", "--config", config.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("active: colours 2 (run by shop-03)\n"), again.out());
        assertTrue(again.out().contains("0 new label(s) since 2, need 5 (min-new-labels); nothing trained\n"),
                again.out());
    }

    @Test
    void theGateStopsAWorseModelTrainedOnMislabelledFrames() throws Exception {
        Path config = workspace("shop-04", 5);
        List<InboxEntry> entries = inbox(45);
        // a careless afternoon: every red frame labelled blue, every blue one red (more of them than the curated)
        label(entries, "shop-04", 0, 45, i -> i % 3 == 0 ? "blue" : i % 3 == 2 ? "red" : "green");

        Run r = Run.of("retrain", "--config", config.toString());

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gate: REFUSED, significantly worse (McNemar p = "), r.out());
        assertTrue(r.out().contains("the gate refused colours 2 (against colours 1: significantly worse"), r.out());
        assertTrue(r.out().endsWith("it stays registered, nothing deployed\n"), r.out());
        assertTrue(Files.exists(loop.resolve("models/colours/2/model.onnx")), "the refused version is kept");
        assertNull(Retained.message(broker.uri(), Topics.DEFAULT.deploy("shop-04")), "nothing was published");
        JsonNode round = ProtocolJson.parseTree(Files.readAllBytes(loop.resolve("retrain/2/round.json")));
        assertEquals("refused", round.get("outcome").asText());
        assertEquals("worse", round.get("gate").get(0).get("verdict").asText());
    }

    @Test
    void aRoundWhileAnotherHoldsTheLockDoesNothing() throws Exception {
        Path config = workspace("shop-05", 5);
        try (RoundLock held = RoundLock.tryAcquire(loop.resolve("retrain")).orElseThrow()) {
            Run r = Run.of("retrain", "--config", config.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("another round holds " + loop.resolve("retrain/.retrain.lock")
                    + "; nothing done\n"), r.out());
        }
    }

    @Test
    void aBadConfigIsOneLineNamingTheKeyWithExitTwo() throws Exception {
        Path config = workspace("shop-06", 5);
        String good = Files.readString(config);
        assertBad(config, good.replace("min-new-labels: 5", "min-new-labels: 0"),
                config + ": min-new-labels is 0, allowed an integer from 1 to 1000000");
        assertBad(config, good.replace("  alpha: 0.05", "  alpha: 0.9"),
                config + ": gate.alpha is 0.9, allowed 0 < alpha <= 0.5 (e.g. 0.05)");
        assertBad(config, good.replace("  strategy: full", "  strategy: fast"),
                config + ": training.strategy is 'fast', allowed one of [head, partial, full, auto]");
        assertBad(config, good.replace("  device: shop-06", "  devce: shop-06"),
                config + ": unknown key 'deploy.devce', allowed keys in deploy: [broker, device, fleet, key, wait,"
                        + " prefix, username, password-env, password-file, tls-ca, tls-cert, tls-key]");
        assertBad(config, good.replace("  device: shop-06", "  device: shop-06\n  tls-cert: c.pem\n  tls-key: k.pem"),
                config + ": deploy.tls-cert and deploy.tls-key go together and need deploy.tls-ca");
        assertBad(config, good.replace("model: colours", "model: people"),
                config + ": model: " + loop.resolve("models") + " has no usable version of people; register a"
                        + " first one with 'trainer fit --register --name people'");
        Run missing = Run.of("retrain", "--config", loop.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("trainer retrain: --config " + loop.resolve("nope.yaml")
                + " not found"), missing.err());
    }

    @Test
    void theShippedTemplateAndUnitsAgree() throws Exception {
        Path devices = Path.of("..", "devices", "workstation").toAbsolutePath().normalize();
        io.edgeloop.trainer.loop.LoopConfig template = io.edgeloop.trainer.loop.LoopConfig.load(
                devices.resolve("loop.yaml"));
        assertEquals("shelf-products", template.model());
        assertEquals(devices.resolve("collect/inbox"), template.inbox());
        String service = Files.readString(devices.resolve("edgeloop-retrain.service"));
        assertTrue(service.contains("\nType=oneshot\n"), service);
        assertTrue(service.contains("\nWorkingDirectory=/srv/edgeloop\n"), service);
        assertTrue(service.contains("\nExecStart=/opt/edgeloop/bin/trainer retrain --config /srv/edgeloop/loop.yaml\n"),
                service);
        String timer = Files.readString(devices.resolve("edgeloop-retrain.timer"));
        assertTrue(timer.contains("\nOnCalendar=Mon *-*-* 03:00:00\n") && timer.contains("\nPersistent=true\n")
                && timer.contains("\nUnit=edgeloop-retrain.service\n"), timer);
        assertTrue(Files.isExecutable(devices.resolve("../../bin/trainer").normalize()));
    }

    private void assertBad(Path config, String text, String message) throws Exception {
        Files.writeString(config, text);
        Run r = Run.of("retrain", "--config", config.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("trainer retrain: " + message + "\n", r.err());
    }

    /** A loop folder with its own copy of the registry, data links and a config for {@code device} running v1. */
    private Path workspace(String device, int minNewLabels) throws Exception {
        ColourImages.copyTree(registry, loop.resolve("models"));
        Files.createDirectories(loop.resolve("data"));
        Files.createSymbolicLink(loop.resolve("data/train"), train);
        Files.createSymbolicLink(loop.resolve("data/held-out"), heldOut);
        String v1 = Sha256.hex(registry.resolve("colours/1/model.onnx"));
        Retained.publishStatus(broker.uri(), device, new ModelRef("colours", "1", v1));
        Path config = loop.resolve("loop.yaml");
        Files.writeString(config, String.join("\n",
                "model: colours",
                "inbox: collect/inbox",
                "data: data/train",
                "min-new-labels: " + minNewLabels,
                "training:",
                "  strategy: full",
                "  epochs: 8",
                "  seed: 2",
                "  augment: false",
                "  threads: 1",
                "gate:",
                "  data: data/held-out",
                "  alpha: 0.05",
                "  status-wait: 1",
                "deploy:",
                "  broker: " + broker.uri(),
                "  device: " + device,
                "  key: " + key,
                "  wait: 0",
                ""));
        return config;
    }

    /** {@code n} hard examples of the three colours (seq i has colour i % 3), through the collector's intake. */
    private List<InboxEntry> inbox(int n) throws Exception {
        Path dir = loop.resolve("collect/inbox");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(dir), Topics.DEFAULT, -1, 0, Clock.systemUTC());
        for (int i = 0; i < n; i++) {
            BufferedImage image = ColourImages.image(ColourImages.COLOURS[i % 3], new Random(500 + i));
            byte[] jpeg = HardExamples.jpeg(image, 0.95f);
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/cam-box/front/hard",
                    HardExamples.payload("cam-box", "front", i, jpeg)));
        }
        List<InboxEntry> entries = new ArrayList<>(LabelJob.open(dir).list());
        entries.sort((a, b) -> Long.compare(a.sidecar().seq(), b.sidecar().seq()));
        return entries;
    }

    /** A person labels examples {@code from} to {@code to} (exclusive) with {@code label(seq)}. */
    private void label(List<InboxEntry> entries, String who, int from, int to,
                       java.util.function.IntFunction<String> label) throws Exception {
        LabelJob job = LabelJob.open(loop.resolve("collect/inbox"));
        for (InboxEntry e : entries.subList(from, to)) {
            job.set(new LabelRequest(e.id(), label.apply((int) e.sidecar().seq()), "ana-" + who,
                    new LabelCheck(Optional.empty(), true)));
        }
    }
}

package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import io.edgeloop.trainer.testing.ColourImages;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model registry through the real CLI: two generations fitted on a tiny base and registered with
 * {@code fit --register} (v2 fine-tuned from the registered v1), the lineage in their cards, {@code models list}
 * and {@code models show} as text and JSON, a refused re-registration, broken version folders, and where the
 * versions run from retained device status on an embedded broker.
 */
class ModelsCommandTest {


    @TempDir
    static Path shared;
    static Path train;
    static Path base;
    static Path registry;
    static Run fitV1;
    static Run fitV2;

    @BeforeAll
    static void twoGenerations() throws Exception {
        train = shared.resolve("train");
        ColourImages.write(train, 8, 1);
        // labelled hard examples as label export leaves them: <label>/hard-<id>.jpg
        writeHard(train.resolve("red"), "cam1-20261207T100000Z-0001", ColourImages.COLOURS[0]);
        writeHard(train.resolve("blue"), "cam2-20261207T100500Z-0002", ColourImages.COLOURS[2]);
        base = shared.resolve("base.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
        registry = shared.resolve("models");
        fitV1 = fit(base, "run1", "v1");
        assertEquals(0, fitV1.code(), fitV1.err());
        // no --name: fitting from a registered version continues that model
        fitV2 = Run.of("fit", "--base", registry.resolve("colours/v1/model.onnx").toString(), "--data",
                train.toString(), "--out", shared.resolve("run2").toString(), "--epochs", "3", "--strategy", "full",
                "--no-augment", "--threads", "1", "--seed", "2", "--model-version", "v2", "--register", "--registry",
                registry.toString());
        assertEquals(0, fitV2.code(), fitV2.err());
    }

    private static Run fit(Path from, String out, String version) {
        return Run.of("fit", "--base", from.toString(), "--data", train.toString(), "--out",
                shared.resolve(out).toString(), "--epochs", "3", "--strategy", "full", "--no-augment", "--threads",
                "1", "--seed", "2", "--name", "colours", "--model-version", version, "--register", "--registry",
                registry.toString());
    }

    @Test
    void registeringCopiesTheRunAndRecordsTheHardExamples() throws Exception {
        Path v1 = registry.resolve("colours/v1");
        assertTrue(fitV1.out().endsWith("registered: " + v1 + "\n"), fitV1.out());
        assertTrue(fitV2.out().endsWith("registered: " + registry.resolve("colours/v2") + " (parent v1)\n"),
                fitV2.out());
        try (Stream<Path> files = Files.list(v1)) {
            assertEquals(List.of("hard-examples.csv", "metrics.json", "model.onnx", "report.html"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(Sha256.hex(shared.resolve("run1/model.onnx")), Sha256.hex(v1.resolve("model.onnx")));
        String blue = "cam2-20261207T100500Z-0002";
        String red = "cam1-20261207T100000Z-0001";
        assertEquals("id,label,sha256\n"
                        + blue + ",blue," + Sha256.hex(train.resolve("blue/hard-" + blue + ".jpg")) + "\n"
                        + red + ",red," + Sha256.hex(train.resolve("red/hard-" + red + ".jpg")) + "\n",
                Files.readString(v1.resolve("hard-examples.csv")));
        try (Stream<Path> hidden = Files.list(registry.resolve("colours"))) {
            assertEquals(List.of("v1", "v2"), hidden.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no half-written .incoming folder left behind");
        }
    }

    @Test
    void theCardsCarryTheLineage() throws Exception {
        ModelCard v1 = ModelPackage.read(registry.resolve("colours/v1/model.onnx")).card();
        ModelCard v2 = ModelPackage.read(registry.resolve("colours/v2/model.onnx")).card();
        assertEquals(Sha256.hex(base), v1.baseModel().sha256());
        assertEquals(base.toAbsolutePath().normalize().toString(), v1.notes().get("base_path"));
        assertFalse(v1.notes().containsKey("parent"), v1.notes().toString());
        assertFalse(v1.notes().containsKey("base_package"), "a plain ONNX base is no package");

        assertEquals(Sha256.hex(registry.resolve("colours/v1/model.onnx")), v2.baseModel().sha256());
        assertEquals("colours", v2.baseModel().name());
        assertEquals("colours v1", v2.notes().get("base_package"));
        assertEquals("v1", v2.notes().get("parent"));
        JsonNode metrics = ProtocolJson.parseTree(Files.readAllBytes(registry.resolve("colours/v2/metrics.json")));
        assertEquals(metrics.get("datasetFingerprint").asText(), v2.trainingData());
        assertEquals(v1.trainingData(), v2.trainingData(), "the same training tree");
    }

    @Test
    void listShowsOneLinePerVersionWithTheParent() {
        Run r = Run.of("models", "list", "--registry", registry.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("NAME     VERSION  CREATED (UTC)     VAL ACC %     PARENT"), lines[0]);
        assertTrue(lines[1].matches("colours  v1       \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  "
                + "\\d+\\.\\d \\(\\d+-\\d+\\) +-"), lines[1]);
        assertTrue(lines[2].matches("colours  v2       .* +v1"), lines[2]);
        for (String line : lines) {
            assertTrue(line.length() <= 80, line);
        }
    }

    @Test
    void listAsJson() {
        Run r = Run.of("models", "list", "--registry", registry.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = ProtocolJson.parseTree(r.out().getBytes(StandardCharsets.UTF_8));
        JsonNode versions = doc.get("versions");
        assertEquals(2, versions.size());
        assertEquals("v1", versions.get(0).get("version").asText());
        assertTrue(versions.get(0).get("parent").isNull());
        assertEquals(2, versions.get(0).get("hardExamples").asInt());
        JsonNode v2 = versions.get(1);
        assertEquals("v1", v2.get("parent").get("version").asText());
        assertTrue(v2.get("parent").get("registered").asBoolean());
        JsonNode acc = v2.get("valAccuracy");
        assertTrue(acc.get("low").asDouble() <= acc.get("accuracy").asDouble()
                && acc.get("accuracy").asDouble() <= acc.get("high").asDouble(), acc.toString());
        assertEquals(0, doc.get("broken").size());
        assertFalse(v2.has("devices"), "no broker asked");
    }

    @Test
    void showGivesTheLineageChainAndTheCard() throws Exception {
        Run r = Run.of("models", "show", "colours", "v2", "--registry", registry.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("colours v2\n"), r.out());
        assertTrue(r.out().contains("\nlineage    v2 <- v1 <- base base\n"), r.out());
        assertTrue(r.out().contains("\nhard ex.   2 labelled hard example(s) in the training data\n"), r.out());
        assertTrue(r.out().contains("\ncard:\n{"), r.out());
        String fingerprint = fingerprintOf(registry.resolve("colours/v2/model.onnx"));
        assertTrue(r.out().contains("\ndata       sha256\n           " + fingerprint + "\n"), r.out());
        for (String line : r.out().substring(0, r.out().indexOf("\ncard:\n")).split("\n")) {
            assertTrue(line.length() <= 80, line);
        }

        Run json = Run.of("models", "show", "colours", "v2", "--registry", registry.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode doc = ProtocolJson.parseTree(json.out().getBytes(StandardCharsets.UTF_8));
        List<String> chain = new ArrayList<>();
        doc.get("lineage").forEach(g -> chain.add(g.get("version").asText()));
        assertEquals(List.of("v2", "v1"), chain);
        assertEquals("v1", doc.get("card").get("notes").get("parent").asText());
    }

    @Test
    void anExistingVersionIsNeverOverwrittenAndRefusedBeforeTraining() throws Exception {
        String before = Sha256.hex(registry.resolve("colours/v1/model.onnx"));
        Run again = fit(base, "run3", "v1");
        assertEquals(2, again.code(), again.out());
        assertEquals("trainer fit: version v1 of colours is already registered (" + registry.resolve("colours/v1")
                + "); registered versions are never overwritten, choose another --model-version\n", again.err());
        assertFalse(Files.exists(shared.resolve("run3")), "refused before any training");
        assertEquals(before, Sha256.hex(registry.resolve("colours/v1/model.onnx")));
    }

    @Test
    void aRunFolderCanBeAddedLater() throws Exception {
        Path other = shared.resolve("other-registry");
        Run add = Run.of("models", "add", shared.resolve("run2").toString(), "--data", train.toString(),
                "--registry", other.toString());
        assertEquals(0, add.code(), add.err());
        assertEquals("registered: " + other.resolve("colours/v2") + " (parent v1, not registered)\n", add.out());
        assertEquals(Files.readString(registry.resolve("colours/v2/hard-examples.csv")),
                Files.readString(other.resolve("colours/v2/hard-examples.csv")));
        Run again = Run.of("models", "add", shared.resolve("run2").toString(), "--data", train.toString(),
                "--registry", other.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("trainer models add: version v2 of colours is already registered ("),
                again.err());
        Run list = Run.of("models", "list", "--registry", other.toString());
        assertTrue(list.out().split("\n")[1].endsWith("  v1?"), list.out());
        Run noRun = Run.of("models", "add", shared.resolve("train").toString(), "--data", train.toString(),
                "--registry", other.toString());
        assertEquals(2, noRun.code());
        assertEquals("trainer models add: cannot register: " + shared.resolve("train/model.onnx") + " not found,"
                + " allowed a finished run folder with model.onnx, report.html and metrics.json\n", noRun.err());
    }

    @Test
    void unknownNamesAndVersionsListWhatExists() {
        Run name = Run.of("models", "show", "shapes", "v1", "--registry", registry.toString());
        assertEquals(2, name.code());
        assertEquals("trainer models show: no model named shapes in " + registry + ", allowed one of [colours]\n",
                name.err());
        Run version = Run.of("models", "show", "colours", "v9", "--registry", registry.toString());
        assertEquals(2, version.code());
        assertEquals("trainer models show: colours has no version v9 in " + registry + ", allowed one of [v1, v2]\n",
                version.err());
        Path empty = shared.resolve("nothing-here");
        Run none = Run.command("models", "list", "--registry", empty.toString());
        assertEquals(0, none.code(), none.err());
        assertEquals("no versions registered in " + empty + "\n", none.out());
    }

    @Test
    void brokenFoldersAreListedWithTheReason() throws Exception {
        Path copy = shared.resolve("broken-registry");
        copyTree(registry, copy);
        Files.createDirectories(copy.resolve("colours/v3"));
        Files.createDirectories(copy.resolve("colours/v4"));
        Files.writeString(copy.resolve("colours/v4/model.onnx"), "not a model");
        Files.createDirectories(copy.resolve("colours/v5"));
        Files.copy(copy.resolve("colours/v1/model.onnx"), copy.resolve("colours/v5/model.onnx"));
        // a plain package folder beside the versions, like the repository's models/base/, is not a model name
        Files.createDirectories(copy.resolve("base/checkpoint"));
        Files.copy(copy.resolve("colours/v1/model.onnx"), copy.resolve("base/model.onnx"));

        Run r = Run.of("models", "list", "--registry", copy.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[1].startsWith("colours  v1 "), r.out());
        assertTrue(lines[2].startsWith("colours  v2 "), r.out());
        assertEquals("colours  v3       BROKEN: model.onnx is missing", lines[3]);
        assertEquals("colours  v4       BROKEN: unreadable model.onnx: not an ONNX model (looks like", lines[4]);
        assertTrue(lines[5].startsWith("                  text; protobuf parse failed: "), r.out());
        assertEquals("colours  v5       BROKEN: the card says colours v1, not colours v5", lines[lines.length - 1]);
        assertFalse(r.out().contains("\nbase "), r.out());
        for (String line : lines) {
            assertTrue(line.length() <= 80, line);
        }
        Run json = Run.of("models", "list", "--registry", copy.toString(), "--json");
        JsonNode doc = ProtocolJson.parseTree(json.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(2, doc.get("versions").size());
        assertEquals(3, doc.get("broken").size());
        assertEquals("model.onnx is missing", doc.get("broken").get(0).get("reason").asText());

        Run show = Run.of("models", "show", "colours", "v3", "--registry", copy.toString());
        assertEquals(2, show.code());
        assertEquals("trainer models show: colours v3 in " + copy + " is broken: model.onnx is missing\n",
                show.err());
    }

    @Test
    void withABrokerItShowsWhichDevicesRunEachVersion() throws Exception {
        String v1 = Sha256.hex(registry.resolve("colours/v1/model.onnx"));
        String v2 = Sha256.hex(registry.resolve("colours/v2/model.onnx"));
        String other = "ab".repeat(32);
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            MqttClient device = new MqttClient(broker.uri(), "status-publisher", new MemoryPersistence());
            device.connect();
            publish(device, "gate-01", new ModelRef("colours", "v1", v1));
            publish(device, "gate-02", new ModelRef("colours", "v2", v2));
            publish(device, "shop-07", new ModelRef("colours", "v2", v2), "canary", "shops");
            publish(device, "yard-03", new ModelRef("people", "2", other));
            publish(device, "new-box", null);
            device.disconnect();
            device.close();

            Run list = Run.of("models", "list", "--registry", registry.toString(), "--broker", broker.uri(),
                    "--wait", "1");
            assertEquals(0, list.code(), list.err());
            String[] lines = list.out().split("\n");
            assertTrue(lines[1].startsWith("colours  v1 "), list.out());
            assertEquals("  runs on: gate-01", lines[2]);
            assertTrue(lines[3].startsWith("colours  v2 "), list.out());
            assertEquals("  runs on: gate-02, shop-07 [canary shops]", lines[4]); // with the device's groups
            assertEquals("not in the registry: yard-03 (people 2, sha256 abababababab)", lines[5]);
            assertEquals("no active model: new-box", lines[6]);

            Run show = Run.of("models", "show", "colours", "v2", "--registry", registry.toString(), "--json",
                    "--broker", broker.uri(), "--wait", "1");
            assertEquals(0, show.code(), show.err());
            JsonNode doc = ProtocolJson.parseTree(show.out().getBytes(StandardCharsets.UTF_8));
            assertEquals("[\"gate-02\",\"shop-07\"]", doc.get("devices").toString());
            assertEquals("{\"shop-07\":[\"canary\",\"shops\"]}", doc.get("deviceGroups").toString());
        }
    }

    @Test
    void anUnreachableBrokerIsOneLineNamingIt() {
        Run r = Run.of("models", "list", "--registry", registry.toString(), "--broker", "tcp://127.0.0.1:1",
                "--wait", "1");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("trainer models list: broker tcp://127.0.0.1:1: "), r.err());
        assertEquals(1, r.err().split("\n").length, r.err());
        assertEquals("", r.out());
    }

    @Test
    void aSubcommandIsRequired() {
        Run r = Run.of("models");
        assertEquals(2, r.code());
        assertEquals("trainer models: missing subcommand, allowed list, show or add\n", r.err());
    }

    @Test
    void aBadWaitIsRefused() {
        Run r = Run.of("models", "list", "--registry", registry.toString(), "--broker", "tcp://127.0.0.1:1",
                "--wait", "0");
        assertEquals(2, r.code());
        assertEquals("trainer models list: --wait is 0.0, allowed 0 < SECONDS <= 600\n", r.err());
    }

    @Test
    void helpFitsEightyColumns() {
        for (String[] args : List.of(new String[] {"models", "--help"}, new String[] {"models", "list", "--help"},
                new String[] {"models", "show", "--help"}, new String[] {"models", "add", "--help"},
                new String[] {"fit", "--help"})) {
            Run r = Run.of(args);
            assertEquals(0, r.code(), r.err());
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= 80, String.join(" ", args) + ": " + line);
            }
        }
        assertTrue(Run.of("fit", "--help").out().contains("--register"));
    }

    /** The hex training-data fingerprint in a package's card. */
    private static String fingerprintOf(Path model) throws Exception {
        return ModelPackage.read(model).card().trainingData().substring("sha256:".length());
    }

    private static void publish(MqttClient client, String device, ModelRef model, String... groups)
            throws Exception {
        DeviceStatus status = new DeviceStatus(1, device, io.edgeloop.protocol.mqtt.DeviceState.ONLINE,
                Instant.parse("2026-12-07T12:00:00Z"), Instant.parse("2026-12-07T11:00:00Z"), "0.1.0", model,
                List.of("cam1"), List.of(groups));
        client.publish(Topics.DEFAULT.status(device), new MqttMessage(Payloads.encode(status), 1, true, null));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void writeHard(Path folder, String id, Color colour) throws Exception {
        ImageIO.write(ColourImages.image(colour, new Random(id.hashCode())), "jpg",
                folder.resolve("hard-" + id + ".jpg").toFile());
    }
}

package io.edgeloop.trainer.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.model.BaseModel;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.model.TinyClassifierOnnx;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on hand-made packages: three generations chained by the base's SHA-256, a parent that is only in the
 * card's note once its folder breaks, refusing to overwrite, hard examples with awkward labels, and matching device
 * status by SHA-256.
 */
class ModelRegistryTest {

    @TempDir
    Path dir;

    @Test
    void threeGenerationsChainByTheBaseSha256() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
        Path data = Files.createDirectories(dir.resolve("data/cat"));
        RegisteredVersion g1 = registry.add(run("g1", "2026-12-01T10:00:00Z", new BaseModel("tiny", "0".repeat(64)),
                null, data.getParent()));
        RegisteredVersion g2 = registry.add(run("g2", "2026-12-02T10:00:00Z", new BaseModel("shop", g1.sha256()),
                "g1", data.getParent()));
        RegisteredVersion g3 = registry.add(run("g3", "2026-12-03T10:00:00Z", new BaseModel("shop", g2.sha256()),
                "g2", data.getParent()));

        assertEquals(List.of("g3", "g2", "g1"), registry.lineage(registry.find("shop", "g3")).stream()
                .map(RegisteredVersion::version).toList());
        assertEquals(new Parent("g2", true), registry.find("shop", "g3").parent().orElseThrow());
        assertTrue(registry.find("shop", "g1").parent().isEmpty());
        assertEquals(List.of("g1", "g2", "g3"), registry.entries().stream().map(RegistryEntry::version).toList());

        // once g2's package is gone, g3 still names it from its card's note, but the chain ends there
        Files.delete(g2.folder().resolve(ModelRegistry.MODEL));
        RegisteredVersion orphan = registry.find("shop", "g3");
        assertEquals(new Parent("g2", false), orphan.parent().orElseThrow());
        assertEquals(List.of("g3"), registry.lineage(orphan).stream().map(RegisteredVersion::version).toList());
        assertEquals(g3.sha256(), orphan.sha256());
    }

    @Test
    void anExistingVersionIsRefusedAndKept() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
        Path data = Files.createDirectories(dir.resolve("data/cat")).getParent();
        RegisteredVersion first = registry.add(run("1", "2026-12-01T10:00:00Z", null, null, data));
        String sha = Sha256.hex(first.folder().resolve(ModelRegistry.MODEL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.add(run("1", "2026-12-05T10:00:00Z", null, null, data)));
        assertEquals("version 1 of shop is already registered (" + first.folder() + "); registered versions are"
                + " never overwritten, choose another --model-version", e.getMessage());
        assertEquals(sha, Sha256.hex(first.folder().resolve(ModelRegistry.MODEL)));
        try (var names = Files.list(dir.resolve("models/shop"))) {
            assertEquals(List.of("1"), names.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void hardExamplesQuoteAwkwardLabels() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("red, dark"));
        Files.write(data.resolve("red, dark/hard-cam-1.jpg"), new byte[] {1, 2, 3});
        Files.write(data.resolve("red, dark/photo.jpg"), new byte[] {4});
        Files.createDirectories(data.resolve("blue"));
        Files.write(data.resolve("blue/hard-cam-2.jpg"), new byte[] {5});
        List<HardExamples.Example> found = HardExamples.scan(data);
        assertEquals(List.of("cam-2", "cam-1"), found.stream().map(HardExamples.Example::id).toList());
        Path folder = Files.createDirectories(dir.resolve("v"));
        HardExamples.write(found, folder);
        assertEquals("id,label,sha256\ncam-2,blue," + Sha256.hex(new byte[] {5}) + "\ncam-1,\"red, dark\","
                + Sha256.hex(new byte[] {1, 2, 3}) + "\n", Files.readString(folder.resolve(HardExamples.FILE_NAME)));
        assertEquals(2, HardExamples.count(folder));
    }

    @Test
    void devicesAreMatchedBySha256NotByTheNameTheyReport() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
        Path data = Files.createDirectories(dir.resolve("data/cat")).getParent();
        RegisteredVersion v1 = registry.add(run("1", "2026-12-01T10:00:00Z", null, null, data));
        RegisteredVersion v2 = registry.add(run("2", "2026-12-02T10:00:00Z", null, null, data));
        Instant at = Instant.parse("2026-12-07T12:00:00Z");
        List<DeviceStatus> statuses = List.of(
                DeviceStatus.online("b-cam", at, at, "0.1.0", new ModelRef("shop", "1", v2.sha256()), List.of()),
                DeviceStatus.online("a-cam", at, at, "0.1.0", new ModelRef("shop", "2", v2.sha256()), List.of()),
                DeviceStatus.online("c-cam", at, at, "0.1.0", new ModelRef("shop", "1", "f".repeat(64)), List.of()),
                DeviceStatus.online("d-cam", at, at, "0.1.0", ModelRef.of("shop", "1"), List.of()));
        Deployments d = Deployments.match(statuses, registry.entries());
        assertEquals(List.of(), d.devices(v1));
        assertEquals(List.of("a-cam", "b-cam"), d.devices(v2).stream().map(DeviceStatus::device).toList());
        assertEquals(List.of("c-cam"), d.unknown().stream().map(DeviceStatus::device).toList());
        assertEquals(List.of("d-cam"), d.withoutModel().stream().map(DeviceStatus::device).toList());
    }

    private ModelRegistry.Run run(String version, String created, BaseModel base, String parentNote, Path data)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve("runs/" + version + "-" + created.substring(0, 10)));
        ModelCard card = ModelCard.builder().setName("shop").setVersion(version).setCreated(Instant.parse(created))
                .setLabels(List.of("a", "b", "c", "d")).setInput(InputSpec.square("image", 8))
                .setPreprocessing(PreprocessSpec.imagenet(9, 8)).setOutput(OutputSpec.logits("logits"))
                .optBaseModel(base).optNotes(parentNote == null ? Map.of() : Map.of("parent", parentNote)).build();
        Path model = ModelPackage.write(TinyClassifierOnnx.classifier(4), card, folder.resolve("model.onnx")).file();
        Files.writeString(folder.resolve("report.html"), "<html></html>");
        Files.writeString(folder.resolve("metrics.json"), "{\"final\": {\"accuracy\": 0.75, \"images\": 8}}");
        return new ModelRegistry.Run(model, folder.resolve("report.html"), folder.resolve("metrics.json"), data);
    }
}

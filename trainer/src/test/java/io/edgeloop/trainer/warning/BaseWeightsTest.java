package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The random-base evidence on the project's real models: the committed pretrained base, {@code trainer init}'s
 * graphs and the random torchvision-style fixtures. These are the measurements the thresholds in
 * {@link BaseWeights} were chosen from.
 */
class BaseWeightsTest {

    static final Path BASE = Path.of("").toAbsolutePath().getParent().resolve("models/base/model.onnx");
    static final Path FIXTURES = Path.of("src/test/resources/onnx/arch");

    @Test
    void theCommittedPretrainedBaseLooksTrained() throws IOException {
        ModelProto model = read(BASE);
        BaseWeights w = BaseWeights.of(model, card(model));
        assertFalse(w.marker());
        assertEquals(4, w.batchNorms());
        assertEquals(0, w.batchNormsFresh());
        assertEquals(4, w.spatial().layers());
        assertEquals(129_600, w.spatial().pairs());
        assertTrue(w.spatial().r() > 0.15, "r = " + w.spatial().r()); // measured 0.190
        assertTrue(w.spatial().z() > 10 * BaseWeights.MAX_RANDOM_Z, "z = " + w.spatial().z()); // measured 68.5
        assertFalse(w.looksRandom(), w.evidence().toString());
    }

    @Test
    void initGraphsAreRandomByTheirBatchNormAndTheirKernels() {
        for (Architecture arch : Architecture.values()) {
            ModelProto model = ArchitectureOnnx.build(new ArchSpec(arch, 0.25, 32, 10, 7));
            BaseWeights w = BaseWeights.of(model, Optional.empty());
            assertFalse(w.marker(), arch + ": the builder itself writes no marker (init adds it)");
            assertTrue(w.batchNorms() > 0, arch.toString());
            assertEquals(w.batchNorms(), w.batchNormsFresh(), arch.toString());
            assertTrue(w.spatialJudged(), arch + ": " + w.spatial());
            assertTrue(w.spatial().z() < BaseWeights.MAX_RANDOM_Z, arch + ": " + w.spatial());
            assertEquals(2, w.evidence().size(), arch + ": " + w.evidence());
        }
    }

    @Test
    void theInitMarkerIsEvidenceOnItsOwn() {
        ModelProto model = ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.25, 16, 2, 1)).toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(BaseWeights.MARKER_KEY)
                        .setValue(BaseWeights.RANDOM_INIT)).build();
        BaseWeights w = BaseWeights.of(model, Optional.empty());
        assertTrue(w.marker());
        assertEquals("it is marked edgeloop.weights = random-init (as 'trainer init' and"
                + " 'export-torchvision-base.py --weights none' write it)", w.evidence().get(0));
    }

    /**
     * Every random fixture measured on enough pairs is called random by its kernels alone, though their BatchNorm
     * statistics were randomised (or folded into the convolutions) so the BatchNorm evidence cannot fire.
     */
    @Test
    void theRandomTorchvisionFixturesAreCalledRandomByTheirKernels() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(FIXTURES)) {
            files = list.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertTrue(files.size() >= 42, files.size() + " fixtures");
        int judged = 0;
        double maxZ = Double.NEGATIVE_INFINITY;
        for (Path file : files) {
            BaseWeights w = BaseWeights.of(read(file), Optional.empty());
            if (!file.getFileName().toString().startsWith("alias_")) { // those keep fresh BNs on purpose
                assertEquals(0, w.batchNormsFresh(), file.toString());
            }
            if (w.spatialJudged()) {
                judged++;
                maxZ = Math.max(maxZ, w.spatial().z());
                assertTrue(w.looksRandom(), file + ": " + w.spatial());
            }
        }
        assertEquals(files.size() - 1, judged, "all but the 1-layer Keras graph (288 pairs)");
        assertTrue(maxZ < 3, "largest z of a random fixture " + maxZ); // measured 2.4 (42 fixtures); threshold 5
    }

    static ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        }
    }

    static Optional<ModelCard> card(ModelProto model) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(ModelCard.METADATA_KEY))
                .findFirst().map(p -> ModelCard.fromJson(p.getValue()));
    }
}

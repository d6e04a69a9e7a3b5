package io.edgeloop.protocol.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models exported by PyTorch's own ONNX exporter, and a card written by the Python onnx package (fixtures made by
 * {@code make_fixtures.py} beside them), read by the Java model package code.
 */
class TorchExportedModelTest {

    private static final List<String> LABELS = List.of("circle", "square", "triangle");
    private static final PreprocessSpec SPEC = PreprocessSpec.imagenet(18, 16);

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        return ModelFixtures.copy(name, dir);
    }

    @Test
    void plainTorchExportReadsWithExplicitLabels() throws Exception {
        for (String name : List.of(ModelFixtures.TORCH_TINY_CNN, ModelFixtures.TORCH_TINY_CNN_INIT_INPUTS)) {
            ModelPackage p = ModelPackage.readPlain(fixture(name), LABELS, SPEC, OutputKind.LOGITS,
                    ReadOptions.DEFAULT);
            assertFalse(p.cardEmbedded());
            // Initializers listed as graph inputs (keep_initializers_as_inputs) are not real inputs.
            assertEquals(List.of(new TensorInfo("input", "FLOAT", true, List.of(-1L, 3L, 16L, 16L))),
                    p.signature().inputs(), name);
            assertEquals(new InputSpec("input", List.of(-1L, 3L, 16L, 16L)), p.card().input());
            assertEquals(OutputSpec.logits("logits"), p.card().output());
            assertEquals(LABELS, p.card().labels());
            assertEquals("sha256-" + p.sha256().substring(0, 12), p.card().version());
        }
    }

    @Test
    void cardWrittenByPythonOnnxIsReadAndCheckedAgainstTheGraph() throws Exception {
        ModelPackage p = ModelPackage.read(fixture(ModelFixtures.TORCH_TINY_CNN_CARD));
        ModelCard card = p.card();
        assertTrue(p.cardEmbedded());
        assertEquals("torch-tiny-cnn", card.name());
        assertEquals(LABELS, card.labels());
        assertEquals(1.5, card.temperature());
        assertEquals(SPEC, card.preprocessing());
        assertEquals(Map.of("source", "protocol/src/test/resources/io/edgeloop/protocol/model/make_fixtures.py"),
                card.notes());
    }

    @Test
    void javaCardOnTorchExportRoundTripsAndKeepsTheGraph() throws Exception {
        ModelPackage plain = ModelPackage.readPlain(fixture(ModelFixtures.TORCH_TINY_CNN), LABELS, SPEC,
                OutputKind.LOGITS, ReadOptions.DEFAULT);
        ModelCard card = plain.card().toBuilder().setName("shapes").setVersion("2").optTemperature(1.2).build();
        Path out = dir.resolve("shapes.onnx");
        ModelPackage.write(plain.model(), card, out);
        ModelPackage read = ModelPackage.read(out);
        assertEquals(card, read.card());
        assertEquals(plain.model().getGraph(), read.model().getGraph());
        assertTrue(Files.size(out) > Files.size(fixture(ModelFixtures.TORCH_TINY_CNN)));
    }
}

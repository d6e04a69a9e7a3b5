package io.edgeloop.protocol.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

    @TempDir
    Path dir;

    private static final List<String> THREE = List.of("daisy", "rose", "tulip");

    @Test
    void writeThenReadGivesTheSameCardHashAndSignature() throws Exception {
        ModelCard card = ModelCardTest.fullCard().toBuilder().setOutput(OutputSpec.logits("logits")).build();
        Path file = dir.resolve("out/flowers/2026.11.28-1/model.onnx");
        ModelPackage written = ModelPackage.write(TinyClassifierOnnx.classifier(3), card, file);

        ModelPackage read = ModelPackage.read(file, ReadOptions.DEFAULT);
        assertEquals(card, read.card());
        assertTrue(read.cardEmbedded());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), read.sha256());
        assertEquals(written.sha256(), read.sha256());
        assertEquals(bytes.length, read.sizeBytes());
        assertEquals(List.of(new TensorInfo("image", "FLOAT", true, List.of(-1L, 3L, 8L, 8L))),
                read.signature().inputs());
        assertEquals(List.of(new TensorInfo("logits", "FLOAT", true, List.of(-1L, 3L))), read.signature().outputs());
        assertEquals(2, read.model().getGraph().getNodeCount());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path plain = Files.writeString(dir.resolve("plain.txt"), "made with the process's umask");
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file),
                    "a model gets ordinary permissions, not a temp file's owner-only ones");
        }
    }

    @Test
    void writeReplacesAnEarlierCardAndKeepsOtherMetadata() throws Exception {
        OnnxMl.ModelProto model = TinyClassifierOnnx.classifier(3).toBuilder()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("author").setValue("tests"))
                .build();
        Path file = dir.resolve("m.onnx");
        ModelPackage first = ModelPackage.write(model, ModelCardTest.minimalCard(3), file);
        ModelCard second = ModelCardTest.minimalCard(3).toBuilder().setVersion("2").build();
        ModelPackage.write(first.model(), second, file);

        ModelPackage read = ModelPackage.read(file);
        assertEquals(second, read.card());
        List<String> keys = read.model().getMetadataPropsList().stream()
                .map(OnnxMl.StringStringEntryProto::getKey).toList();
        assertEquals(List.of("author", ModelCard.METADATA_KEY), keys);
    }

    @Test
    void writeRefusesACardThatDoesNotMatchTheGraph() {
        Path file = dir.resolve("bad.onnx");
        ModelPackageException e = assertThrows(ModelPackageException.class,
                () -> ModelPackage.write(TinyClassifierOnnx.classifier(4), ModelCardTest.minimalCard(3), file));
        assertEquals(file + ": model card does not match the graph: labels has 3 entries, allowed 4 to match"
                + " graph output \"logits\" [-1, 4]", e.getMessage());
        assertEquals(file, e.file());
        assertFalse(Files.exists(file));
    }

    @Test
    void cardThatDoesNotMatchTheGraphFailsOnReadNamingFieldAndFile() throws Exception {
        ModelCard good = ModelCardTest.minimalCard(3);
        assertMismatch(good.toBuilder().setInput(InputSpec.square("pixels", 8)).build(),
                "input.name is \"pixels\", allowed one of the graph inputs [image]");
        assertMismatch(good.toBuilder().setOutput(OutputSpec.logits("scores")).build(),
                "output.name is \"scores\", allowed one of the graph outputs [logits]");
        assertMismatch(good.toBuilder().setOutput(new OutputSpec(OutputKind.LOGITS, "logits", "probs")).build(),
                "output.probabilities is \"probs\", allowed one of the graph outputs [logits]");
        assertMismatch(good.toBuilder().setInput(InputSpec.square("image", 16))
                        .setPreprocessing(PreprocessSpec.imagenet(18, 16)).build(),
                "input.shape is [-1, 3, 16, 16], allowed a shape compatible with graph input \"image\""
                        + " [-1, 3, 8, 8] (dimension 2: 16 vs 8)");
        assertMismatch(ModelCardTest.minimalCard(5),
                "labels has 5 entries, allowed 3 to match graph output \"logits\" [-1, 3]");
    }

    private void assertMismatch(ModelCard card, String expected) throws IOException {
        Path file = dir.resolve("mismatch.onnx");
        // Bypass write()'s own check to get a file whose card lies about its graph.
        OnnxMl.ModelProto model = TinyClassifierOnnx.classifier(3).toBuilder()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey(ModelCard.METADATA_KEY).setValue(card.toJson()))
                .build();
        Files.write(file, model.toByteArray());
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.read(file));
        assertEquals(file + ": model card does not match the graph: " + expected, e.getMessage());
    }

    @Test
    void invalidCardInMetadataNamesFileKeyAndField() throws Exception {
        Path file = dir.resolve("invalid-card.onnx");
        String json = ModelCardTest.minimalCard(3).toJson().replace("\"temperature\":1.0", "\"temperature\":-1");
        Files.write(file, TinyClassifierOnnx.classifier(3).toBuilder()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey(ModelCard.METADATA_KEY).setValue(json))
                .build().toByteArray());
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.read(file));
        assertEquals(file + ": invalid model card (metadata edgeloop.model_card): temperature is -1.0, allowed a"
                + " finite number > 0 (1.0 when uncalibrated)", e.getMessage());
    }

    @Test
    void duplicateCardKeyIsRejected() throws Exception {
        Path file = dir.resolve("twice.onnx");
        OnnxMl.StringStringEntryProto entry = OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(ModelCard.METADATA_KEY).setValue(ModelCardTest.minimalCard(3).toJson()).build();
        Files.write(file, TinyClassifierOnnx.classifier(3).toBuilder()
                .addMetadataProps(entry).addMetadataProps(entry).build().toByteArray());
        assertEquals(file + ": ONNX metadata key edgeloop.model_card appears 2 times, allowed once",
                assertThrows(ModelPackageException.class, () -> ModelPackage.read(file)).getMessage());
    }

    @Test
    void readWithoutCardPointsToReadPlain() throws Exception {
        Path file = plainFile("resnet tiny (v2).onnx", TinyClassifierOnnx.classifier(3));
        assertEquals(file + ": no model card (ONNX metadata key edgeloop.model_card is absent); use"
                        + " ModelPackage.readPlain with explicit labels and preprocessing",
                assertThrows(ModelPackageException.class, () -> ModelPackage.read(file)).getMessage());
    }

    @Test
    void plainModelTakesInputAndOutputFromTheGraph() throws Exception {
        Path file = plainFile("resnet tiny (v2).onnx", TinyClassifierOnnx.classifier(3));
        ModelPackage p = ModelPackage.readPlain(file, THREE, PreprocessSpec.imagenet(9, 8), OutputKind.LOGITS,
                ReadOptions.DEFAULT);
        ModelCard card = p.card();
        assertFalse(p.cardEmbedded());
        assertEquals("resnet-tiny-v2", card.name());
        assertEquals("sha256-" + p.sha256().substring(0, 12), card.version());
        assertEquals(Files.getLastModifiedTime(file).toInstant().getEpochSecond(), card.created().getEpochSecond());
        assertEquals(THREE, card.labels());
        assertEquals(new InputSpec("image", List.of(-1L, 3L, 8L, 8L)), card.input());
        assertEquals(OutputSpec.logits("logits"), card.output());
        assertEquals(1.0, card.temperature());
        // The synthesised card can be embedded as is.
        ModelPackage.write(p.model(), card, dir.resolve("with-card.onnx"));
        assertEquals(card, ModelPackage.read(dir.resolve("with-card.onnx")).card());
    }

    @Test
    void plainModelWithDynamicSpatialDimsUsesTheCropSize() throws Exception {
        OnnxMl.ModelProto model = TinyClassifierOnnx.classifier(3);
        OnnxMl.ModelProto dynamic = model.toBuilder().setGraph(model.getGraph().toBuilder()
                .setInput(0, TinyClassifierOnnx.tensor("image", -1, 3, -1, -1))).build();
        ModelPackage p = ModelPackage.readPlain(plainFile("dyn.onnx", dynamic), THREE, PreprocessSpec.imagenet(9, 8),
                OutputKind.PROBABILITIES, ReadOptions.DEFAULT);
        assertEquals(List.of(-1L, 3L, 8L, 8L), p.card().input().shape());
        assertEquals(OutputKind.PROBABILITIES, p.card().output().kind());
    }

    @Test
    void plainModelErrorsNameWhatIsAmbiguousOrWrong() throws Exception {
        OnnxMl.ModelProto model = TinyClassifierOnnx.classifier(3);
        PreprocessSpec spec = PreprocessSpec.imagenet(9, 8);

        Path twoInputs = plainFile("two-in.onnx", model.toBuilder().setGraph(model.getGraph().toBuilder()
                .addInput(TinyClassifierOnnx.tensor("mask", -1, 1))).build());
        assertEquals(twoInputs + ": cannot tell the image input: the graph has 2 inputs [image, mask], allowed"
                        + " exactly 1 for a model without a card",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(twoInputs, THREE, spec,
                        OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage());

        Path twoOutputs = plainFile("two-out.onnx", model.toBuilder().setGraph(model.getGraph().toBuilder()
                .addOutput(TinyClassifierOnnx.tensor("features", -1, 192))).build());
        assertEquals(twoOutputs + ": cannot tell the scores output: the graph has 2 outputs [logits, features],"
                        + " allowed exactly 1 for a model without a card",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(twoOutputs, THREE, spec,
                        OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage());

        Path plain = plainFile("plain.onnx", model);
        assertEquals(plain + ": labels has 2 entries, allowed 3 to match graph output \"logits\" [-1, 3]",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(plain, List.of("a", "b"),
                        spec, OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage().replace(
                        "model card does not match the graph: ", ""));
        assertEquals(plain + ": labels[1] is \"a\", a duplicate of labels[0], allowed a non-empty list of unique,"
                        + " non-blank strings (at most 100000 labels of at most 256 characters)",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(plain, List.of("a", "a", "b"),
                        spec, OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage());
        assertEquals(plain + ": input.shape is [-1, 3, 8, 8], allowed height and width equal to"
                        + " preprocessing.cropSize (224)",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(plain, THREE,
                        PreprocessSpec.IMAGENET_224, OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage());

        Path withCard = dir.resolve("with-card.onnx");
        ModelPackage.write(model, ModelCardTest.minimalCard(3), withCard);
        assertEquals(withCard + ": has a model card (ONNX metadata key edgeloop.model_card); use"
                        + " ModelPackage.read, which trusts the card instead of explicit labels",
                assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(withCard, THREE, spec,
                        OutputKind.LOGITS, ReadOptions.DEFAULT)).getMessage());
    }

    @Test
    void sizeLimitIsCheckedBeforeReading() throws Exception {
        Path file = dir.resolve("m.onnx");
        ModelPackage written = ModelPackage.write(TinyClassifierOnnx.classifier(3), ModelCardTest.minimalCard(3),
                file);
        long size = written.sizeBytes();
        assertEquals(size, ModelPackage.read(file, new ReadOptions(size)).sizeBytes());
        assertEquals(file + ": file is " + size + " bytes, allowed at most " + (size - 1)
                        + " bytes (ReadOptions.maxBytes)",
                assertThrows(ModelPackageException.class,
                        () -> ModelPackage.read(file, ReadOptions.DEFAULT.withMaxBytes(size - 1))).getMessage());
        assertEquals("maxBytes is 0, allowed 1..2147483647",
                assertThrows(IllegalArgumentException.class, () -> new ReadOptions(0)).getMessage());
    }

    @Test
    void filesThatAreNotOnnxGetAClearError() throws Exception {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        assertNotOnnx("random.bin", random, "not an ONNX model (protobuf parse failed: ");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
        assertNotOnnx("photo.jpg", jpeg, "not an ONNX model (looks like a JPEG image; protobuf parse failed: ");
        assertNotOnnx("notes.txt", "hello model\n".getBytes(StandardCharsets.US_ASCII),
                "not an ONNX model (looks like text; ");
        assertNotOnnx("empty.onnx", new byte[0], "not an ONNX model (empty file)");

        byte[] onnx = TinyClassifierOnnx.classifier(3).toByteArray();
        assertNotOnnx("truncated.onnx", Arrays.copyOf(onnx, onnx.length / 2),
                "not an ONNX model (protobuf parse failed: While parsing a protocol message, the input ended"
                        + " unexpectedly in the middle of a field.");
        // Valid protobuf, but not a model: a lone TensorProto.
        byte[] tensor = OnnxMl.TensorProto.newBuilder().setName("w").addDims(2).addFloatData(1).addFloatData(2)
                .build().toByteArray();
        assertNotOnnx("tensor.pb", tensor, "not an ONNX model (");

        Path missing = dir.resolve("missing.onnx");
        assertEquals(missing + ": no such file",
                assertThrows(ModelPackageException.class, () -> ModelPackage.read(missing)).getMessage());
        assertEquals(dir + ": not a regular file",
                assertThrows(ModelPackageException.class, () -> ModelPackage.read(dir)).getMessage());
    }

    @Test
    void modelWithExternalDataIsRejected() throws Exception {
        OnnxMl.ModelProto model = TinyClassifierOnnx.classifier(3);
        OnnxMl.GraphProto graph = model.getGraph().toBuilder().setInitializer(0, model.getGraph().getInitializer(0)
                .toBuilder().clearFloatData().setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")))
                .build();
        Path file = plainFile("external.onnx", model.toBuilder().setGraph(graph).build());
        assertEquals(file + ": initializer \"head.weight\" keeps its data in an external file, allowed only"
                        + " self-contained ONNX files",
                assertThrows(ModelPackageException.class, () -> ModelPackage.read(file)).getMessage());
    }

    @Test
    void plainNameSanitisesFileNames() {
        assertEquals("resnet18-v2", ModelPackage.plainName(Path.of("resnet18 (v2).onnx")));
        assertEquals("model", ModelPackage.plainName(Path.of("__.onnx")));
        assertEquals("mobilenet_v2-1.0", ModelPackage.plainName(Path.of("/x/mobilenet_v2-1.0.ONNX")));
    }

    private void assertNotOnnx(String name, byte[] bytes, String expectedStart) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.read(file));
        assertTrue(e.getMessage().startsWith(file + ": " + expectedStart), e.getMessage());
        assertEquals(file, e.file());
        ModelPackageException plain = assertThrows(ModelPackageException.class, () -> ModelPackage.readPlain(file,
                THREE, PreprocessSpec.imagenet(9, 8), OutputKind.LOGITS, ReadOptions.DEFAULT));
        assertEquals(e.getMessage(), plain.getMessage());
    }

    private Path plainFile(String name, OnnxMl.ModelProto model) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, model.toByteArray());
        return file;
    }

    @Test
    void tinyClassifierIsDeterministic() {
        assertArrayEquals(TinyClassifierOnnx.classifier(3).toByteArray(),
                TinyClassifierOnnx.classifier(3).toByteArray());
    }
}

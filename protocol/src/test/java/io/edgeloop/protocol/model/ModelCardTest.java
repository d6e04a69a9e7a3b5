package io.edgeloop.protocol.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCardTest {

    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** A complete card using every optional field. */
    static ModelCard fullCard() {
        return ModelCard.builder()
                .setName("flowers")
                .setVersion("2026.11.28-1")
                .setCreated(Instant.parse("2026-11-28T18:00:00Z"))
                .setLabels(List.of("daisy", "rose", "tulip"))
                .setInput(InputSpec.square("image", 8))
                .setPreprocessing(PreprocessSpec.imagenet(9, 8))
                .setOutput(new OutputSpec(OutputKind.LOGITS, "logits", "probabilities"))
                .optTemperature(1.5)
                .optThresholds(new ClassThresholds(0.9, Map.of("daisy", 0.62, "rose", 0.0)))
                .optBaseModel(new BaseModel("mobilenet_v2", SHA))
                .optTrainingData("sha256:" + SHA)
                .optMetrics(Map.of("val_accuracy", 0.93, "val_loss", 0.21))
                .optNotes(Map.of("trainer", "edgeloop-trainer 0.1.0"))
                .optQuantization(new Quantization(Quantization.SCHEME, "entropy", 300, 80, 0.9375, 0.925, 0.975,
                        SHA))
                .build();
    }

    /** The smallest valid card. */
    static ModelCard minimalCard(int classes) {
        List<String> labels = Stream.iterate(0, i -> i + 1).limit(classes).map(i -> "class" + i).toList();
        return ModelCard.builder()
                .setName("tiny")
                .setVersion("1")
                .setCreated(Instant.parse("2026-11-28T18:00:00Z"))
                .setLabels(labels)
                .setInput(InputSpec.square("image", 8))
                .setPreprocessing(PreprocessSpec.imagenet(9, 8))
                .setOutput(OutputSpec.logits("logits"))
                .build();
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        ModelCard card = fullCard();
        assertEquals(card, ModelCard.fromJson(card.toJson()));
        assertEquals(card, ModelCard.fromJson(card.toPrettyJson()));
        ModelCard minimal = minimalCard(2);
        assertEquals(minimal, ModelCard.fromJson(minimal.toJson()));
    }

    @Test
    void jsonStartsWithSchemaAndWritesInstantsAsIsoStrings() {
        String json = fullCard().toJson();
        assertTrue(json.startsWith("{\"schema\":1,\"name\":\"flowers\""), json);
        assertTrue(json.contains("\"created\":\"2026-11-28T18:00:00Z\""), json);
        assertTrue(json.contains("\"kind\":\"logits\""), json);
        assertTrue(json.contains("\"colourOrder\":\"RGB\""), json);
    }

    @Test
    void absentOptionalFieldsTakeTheirDefaults() {
        ObjectNode tree = tree(minimalCard(2));
        tree.remove("temperature");
        tree.remove("metrics");
        tree.remove("notes");
        ModelCard card = ModelCard.fromJson(tree.toString());
        assertEquals(1.0, card.temperature());
        assertEquals(Map.of(), card.metrics());
        assertEquals(Map.of(), card.notes());
        assertEquals(null, card.baseModel());
        assertEquals(null, card.thresholds());
    }

    @Test
    void aCardWrittenBeforeThresholdsExistedStillParses() {
        // the committed example of the card format before per-class thresholds: every field but thresholds
        String old = "{\"schema\":1,\"name\":\"flowers\",\"version\":\"1\",\"created\":\"2026-11-28T18:00:00Z\","
                + "\"labels\":[\"daisy\",\"rose\"],\"input\":{\"name\":\"image\",\"shape\":[-1,3,8,8]},"
                + "\"preprocessing\":{\"resize\":\"SHORTER_SIDE\",\"resizeSize\":9,\"cropSize\":8,"
                + "\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225],\"valueScale\":0.00392156862745098,"
                + "\"colourOrder\":\"RGB\"},\"output\":{\"kind\":\"logits\",\"name\":\"logits\"},"
                + "\"temperature\":1.38,\"metrics\":{\"val_accuracy\":0.9},\"notes\":{}}";
        ModelCard card = ModelCard.fromJson(old);
        assertEquals(1.38, card.temperature());
        assertEquals(null, card.thresholds());
        assertEquals(card, ModelCard.fromJson(card.toJson()));
        assertTrue(!card.toJson().contains("thresholds"), card.toJson());
        assertEquals(null, card.quantization());
        assertTrue(!card.toJson().contains("quantization"), card.toJson());
    }

    @Test
    void quantizationRoundTripsAndGivesTheDrop() {
        ModelCard card = fullCard();
        assertEquals(1.25, card.quantization().dropPoints(), 1e-9);
        assertTrue(card.toJson().endsWith(",\"quantization\":{\"scheme\":\"int8-qdq\",\"method\":\"entropy\","
                + "\"calibrationImages\":300,\"validationImages\":80,\"fp32Accuracy\":0.9375,\"int8Accuracy\":0.925,"
                + "\"agreement\":0.975,\"sourceSha256\":\"" + SHA + "\"}}"), card.toJson());
        assertEquals(card, ModelCard.fromJson(card.toJson()));
        assertEquals(null, card.toBuilder().optQuantization(null).build().quantization());
    }

    @Test
    void thresholdsRoundTripSortedByLabel() {
        ModelCard card = fullCard();
        assertEquals(new ClassThresholds(0.9, Map.of("daisy", 0.62, "rose", 0.0)), card.thresholds());
        assertTrue(card.toJson().contains("\"temperature\":1.5,\"thresholds\":{\"targetPrecision\":0.9,"
                + "\"perClass\":{\"daisy\":0.62,\"rose\":0.0}}"), card.toJson());
        assertEquals(card.thresholds(), ModelCard.fromJson(card.toJson()).thresholds());
    }

    static Stream<Arguments> invalidCards() {
        return Stream.of(
                Arguments.of("schema", null, "schema is missing, allowed 1"),
                Arguments.of("schema", "2", "schema is 2, allowed 1"),
                Arguments.of("schema", "\"1\"", "schema is \"1\", allowed 1"),
                Arguments.of("name", null, "name is missing, allowed [A-Za-z0-9][A-Za-z0-9._-]{0,127} (1-128 ASCII"
                        + " letters, digits, '.', '_' or '-', starting with a letter or digit)"),
                Arguments.of("name", "\"my model\"", "name is \"my model\", allowed [A-Za-z0-9][A-Za-z0-9._-]{0,127}"
                        + " (1-128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)"),
                Arguments.of("version", "\"../x\"", "version is \"../x\", allowed [A-Za-z0-9][A-Za-z0-9._-]{0,127}"
                        + " (1-128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)"),
                Arguments.of("created", null,
                        "created is missing, allowed an ISO-8601 UTC instant such as 2026-11-28T18:00:00Z"),
                Arguments.of("created", "\"yesterday\"",
                        "created is \"yesterday\", allowed an ISO-8601 UTC instant such as 2026-11-28T18:00:00Z"),
                Arguments.of("labels", null, "labels is missing, allowed a non-empty list of unique, non-blank"
                        + " strings (at most 100000 labels of at most 256 characters)"),
                Arguments.of("labels", "[]", "labels has 0 entries, allowed a non-empty list of unique, non-blank"
                        + " strings (at most 100000 labels of at most 256 characters)"),
                Arguments.of("labels", "[\"a\",\"b\",\"a\"]", "labels[2] is \"a\", a duplicate of labels[0], allowed"
                        + " a non-empty list of unique, non-blank strings (at most 100000 labels of at most 256"
                        + " characters)"),
                Arguments.of("labels", "[\"a\",\" \"]",
                        "labels[1] is \" \", allowed a non-blank string of at most 256 characters"),
                Arguments.of("labels", "[\"a\",null]",
                        "labels[1] is null, allowed a non-blank string of at most 256 characters"),
                Arguments.of("labels", "\"a\"", "labels is \"a\", allowed a JSON array"),
                Arguments.of("input", null, "input is missing, allowed {name, shape}"),
                Arguments.of("input.name", null,
                        "input.name is missing, allowed a non-blank string of at most 256 characters"),
                Arguments.of("input.shape", "[1,3,8]", "input.shape is [1, 3, 8], allowed [N, 3, H, W] with"
                        + " N = -1 (dynamic batch) or >= 1, and H, W >= 1"),
                Arguments.of("input.shape", "[-1,1,8,8]", "input.shape is [-1, 1, 8, 8], allowed [N, 3, H, W] with"
                        + " N = -1 (dynamic batch) or >= 1, and H, W >= 1"),
                Arguments.of("input.shape", "[0,3,8,8]", "input.shape is [0, 3, 8, 8], allowed [N, 3, H, W] with"
                        + " N = -1 (dynamic batch) or >= 1, and H, W >= 1"),
                Arguments.of("input.shape", "[-1,3,16,16]", "input.shape is [-1, 3, 16, 16], allowed height and"
                        + " width equal to preprocessing.cropSize (8)"),
                Arguments.of("input.shape", "[-1,3,\"x\",8]", "input.shape[2] is \"x\", allowed an integer"),
                Arguments.of("input.colour", "1", "input.colour is not a known field, allowed fields [name, shape]"),
                Arguments.of("preprocessing", null, "preprocessing is missing, allowed {resize, resizeSize,"
                        + " cropSize, mean, std, valueScale, colourOrder}"),
                Arguments.of("preprocessing.cropSize", null, "preprocessing.cropSize is missing, allowed an integer"),
                Arguments.of("preprocessing.cropSize", "0", "preprocessing.cropSize is 0, allowed 1..4096"),
                Arguments.of("preprocessing.std", "[0.2,0,0.2]",
                        "preprocessing.std is [0.2, 0.0, 0.2], allowed 3 finite numbers > 0"),
                Arguments.of("preprocessing.colourOrder", "\"GBR\"",
                        "preprocessing.colourOrder is \"GBR\", allowed one of [RGB, BGR]"),
                Arguments.of("output", null, "output is missing, allowed {kind, name, probabilities}"),
                Arguments.of("output.kind", null, "output.kind is missing, allowed one of [logits, probabilities]"),
                Arguments.of("output.kind", "\"softmax\"",
                        "output.kind is \"softmax\", allowed one of [logits, probabilities]"),
                Arguments.of("output.name", "\"\"",
                        "output.name is \"\", allowed a non-blank string of at most 256 characters"),
                Arguments.of("output.probabilities", "\"logits\"",
                        "output.probabilities is \"logits\", allowed a graph output other than output.name"),
                Arguments.of("temperature", "0", "temperature is 0.0, allowed a finite number > 0 (1.0 when"
                        + " uncalibrated)"),
                Arguments.of("temperature", "-2.5", "temperature is -2.5, allowed a finite number > 0 (1.0 when"
                        + " uncalibrated)"),
                Arguments.of("temperature", "null", "temperature is null, allowed a number"),
                Arguments.of("baseModel.sha256", "\"ABC\"",
                        "baseModel.sha256 is \"ABC\", allowed 64 lowercase hex digits (SHA-256)"),
                Arguments.of("baseModel.name", null,
                        "baseModel.name is missing, allowed a non-blank string of at most 256 characters"),
                Arguments.of("trainingData", "\"\"",
                        "trainingData is \"\", allowed a non-blank string of at most 256 characters"),
                Arguments.of("metrics.val_accuracy", "\"high\"", "metrics.val_accuracy is \"high\", allowed a number"),
                Arguments.of("metrics.val_accuracy", "null", "metrics.val_accuracy is null, allowed a finite number"),
                Arguments.of("notes.trainer", "null", "notes.trainer is null, allowed a string"),
                Arguments.of("temprature", "2", "temprature is not a known field, allowed fields [schema, name,"
                        + " version, created, labels, input, preprocessing, output, temperature, thresholds,"
                        + " baseModel, trainingData, metrics, notes, quantization]"),
                Arguments.of("thresholds.targetPrecision", "1.5",
                        "thresholds.targetPrecision is 1.5, allowed a number in (0, 1]"),
                Arguments.of("thresholds.perClass.rose", "1.2",
                        "thresholds.perClass.rose is 1.2, allowed a number in [0, 1]"),
                Arguments.of("thresholds.perClass.lily", "0.5", "thresholds.perClass names the label \"lily\","
                        + " allowed one of the card's labels [daisy, rose, tulip]"),
                Arguments.of("thresholds.perClass", null, "thresholds.perClass is missing, allowed an object of"
                        + " label to threshold in [0, 1] (may be empty)"),
                Arguments.of("quantization.method", "\"kl\"", "quantization.method is \"kl\", allowed one of"
                        + " [minmax, percentile, entropy]"),
                Arguments.of("quantization.scheme", null, "quantization.scheme is missing, allowed \"int8-qdq\""),
                Arguments.of("quantization.int8Accuracy", "1.5",
                        "quantization.int8Accuracy is 1.5, allowed a number in [0, 1]"),
                Arguments.of("quantization.validationImages", "0",
                        "quantization.validationImages is 0, allowed an integer >= 1"),
                Arguments.of("quantization.sourceSha256", "\"abc\"",
                        "quantization.sourceSha256 is \"abc\", allowed 64 lowercase hex digits (SHA-256)"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidCards")
    void invalidFieldFailsNamingPathValueAndRule(String path, String json, String expected) {
        ObjectNode tree = tree(fullCard());
        set(tree, path, json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson(tree.toString()));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void nonObjectAndMalformedJsonAreRejected() {
        assertEquals("model card is a JSON array, allowed a JSON object",
                assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("[1]")).getMessage());
        assertEquals("not valid JSON (Unexpected end-of-input: expected close marker for Object (start marker at"
                        + " line 1, column 1) at line 1, column 12)",
                assertThrows(IllegalArgumentException.class,
                        () -> ModelCard.fromJson("{\"schema\":1")).getMessage());
    }

    @Test
    void builderValidatesLikeJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fullCard().toBuilder().setLabels(List.of("cat", "cat")).build());
        assertTrue(e.getMessage().startsWith("labels[1] is \"cat\", a duplicate of labels[0]"), e.getMessage());
        assertEquals("probabilities", fullCard().toBuilder().build().output().probabilities());
        assertEquals(fullCard(), fullCard().toBuilder().build());
    }

    @Test
    void labelIndexNamesTheAllowedLabels() {
        assertEquals(1, fullCard().labelIndex("rose"));
        assertEquals("label \"lily\" is not in the card, allowed one of [daisy, rose, tulip]",
                assertThrows(IllegalArgumentException.class, () -> fullCard().labelIndex("lily")).getMessage());
    }

    static ObjectNode tree(ModelCard card) {
        return (ObjectNode) ProtocolJson.parseTree(card.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Sets (or with {@code json == null} removes) the field at a dotted path. */
    static void set(ObjectNode root, String path, String json) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (json == null) {
            node.remove(last);
        } else {
            JsonNode value = ProtocolJson.parseTree(json.getBytes(StandardCharsets.UTF_8));
            node.set(last, value);
        }
    }
}

package io.edgeloop.protocol.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented examples validate against the JSON Schemas, decode into the records, and the records serialise
 * back to JSON that validates and equals the example. Invalid messages fail both the schema and the Java check.
 */
class SchemaExamplesTest {

    /** Schema name and payload type for an example file name ({@code deploy-status-rejected.json}). */
    static Stream<Arguments> examples() {
        return SchemaFiles.examples().stream().map(p -> {
            String file = p.getFileName().toString();
            for (String schema : new String[] {"model-card", "device-status", "classification-event",
                    "device-metrics", "hard-example", "deploy-command", "deploy-status"}) {
                if (file.equals(schema + ".json") || file.startsWith(schema + "-")) {
                    return Arguments.of(file, schema);
                }
            }
            throw new IllegalStateException("example " + file + " matches no schema");
        });
    }

    static Class<? extends Payload> payloadType(String schema) {
        return switch (schema) {
            case "device-status" -> DeviceStatus.class;
            case "classification-event" -> ClassificationEvent.class;
            case "device-metrics" -> DeviceMetrics.class;
            case "hard-example" -> HardExample.class;
            case "deploy-command" -> DeployCommand.class;
            case "deploy-status" -> DeployStatus.class;
            default -> throw new IllegalArgumentException(schema);
        };
    }

    @Test
    void everySchemaHasAnExample() {
        assertEquals(Set.of("model-card", "device-status", "classification-event", "device-metrics",
                        "hard-example", "deploy-command", "deploy-status"),
                examples().map(a -> (String) a.get()[1]).collect(java.util.stream.Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleValidatesDecodesAndReencodesIdentically(String file, String schema) throws Exception {
        JsonNode example = SchemaFiles.example(file);
        assertEquals(Set.of(), SchemaFiles.validate(schema, example), file);

        byte[] reencoded;
        if (schema.equals("model-card")) {
            ModelCard card = ModelCard.fromJson(example.toString());
            reencoded = card.toJson().getBytes(StandardCharsets.UTF_8);
            assertEquals(card, ModelCard.fromJson(card.toJson()));
        } else {
            Payload payload = Payloads.decode(file, example.toString().getBytes(StandardCharsets.UTF_8),
                    payloadType(schema));
            reencoded = Payloads.encode(payload);
            assertEquals(payload, Payloads.decode(reencoded, payloadType(schema)));
        }
        JsonNode tree = SchemaFiles.read(reencoded);
        assertEquals(Set.of(), SchemaFiles.validate(schema, tree), "re-encoded " + file);
        assertEquals(example, tree, "re-encoded " + file);
        assertTrue(new String(reencoded, StandardCharsets.UTF_8).startsWith("{\"schema\":1,"));
    }

    /** Invalid variants of the examples: the schema and the Java decoder must both reject them. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("classification-event.json", "seq", "-1",
                        "ClassificationEvent: seq is -1, allowed an integer >= 0"),
                Arguments.of("classification-event.json", "device", "\"gate/01\"",
                        "ClassificationEvent: device is \"gate/01\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64"
                                + " ASCII letters, digits, '_' or '-', starting with a letter or digit)"),
                Arguments.of("classification-event.json", "capturedAt", "\"yesterday\"",
                        "ClassificationEvent: capturedAt is \"yesterday\", allowed an ISO-8601 UTC instant such as"
                                + " 2026-11-28T18:00:00Z"),
                Arguments.of("classification-event.json", "minConfidence", "1.5",
                        "ClassificationEvent: minConfidence is 1.5, allowed a number in 0..1"),
                Arguments.of("classification-event.json", "latency", null,
                        "ClassificationEvent: latency is missing, allowed {decodeMs, preprocessMs, inferenceMs}"),
                Arguments.of("classification-event.json", "top", "[]",
                        "ClassificationEvent: top has 0 entries, allowed 1..100"),
                Arguments.of("classification-event.json", "thumbnail", "\"aGVsbG8=\"",
                        "ClassificationEvent: thumbnail is \"aGVsbG8=\" (5 bytes without the JPEG marker FF D8 FF),"
                                + " allowed standard base64 of a JPEG image"),
                Arguments.of("device-status.json", "state", "\"sleeping\"",
                        "DeviceStatus: state is \"sleeping\", allowed one of [online, offline]"),
                Arguments.of("device-status.json", "cameras", "[\"front\",\"front\"]",
                        "DeviceStatus: cameras[1] is \"front\", a duplicate, allowed unique ids"),
                Arguments.of("device-metrics.json", "cpuLoad", "-0.1",
                        "DeviceMetrics: cpuLoad is -0.1, allowed a number in 0..1"),
                Arguments.of("device-metrics.json", "rssBytes", null,
                        "DeviceMetrics: rssBytes is missing, allowed an integer"),
                Arguments.of("hard-example.json", "reason", "\"boring\"",
                        "HardExample: reason is \"boring\", allowed one of [low-confidence, margin, disagreement,"
                                + " entropy, class, audit]"),
                Arguments.of("hard-example-audit.json", "reasons", "[\"audit\", \"sometimes\"]",
                        "HardExample: reasons[1] is \"sometimes\", allowed one of [low-confidence, margin,"
                                + " disagreement, entropy, class, audit]"),
                Arguments.of("hard-example-audit.json", "reasons", "[]",
                        "HardExample: reasons has 0 entries, allowed 1..6 (or absent)"),
                Arguments.of("hard-example-several-reasons.json", "reasons", "[\"class\", \"margin\", \"class\"]",
                        "HardExample: reasons[2] is \"class\", a duplicate, allowed unique reasons"),
                Arguments.of("hard-example-several-reasons.json", "reasons", "[\"low-confidence\", \"entropy\"]",
                        "HardExample: reasons is [low-confidence, entropy], allowed a list that contains reason"
                                + " (\"class\")"),
                Arguments.of("hard-example.json", "imageSha256", "\"abc\"",
                        "HardExample: imageSha256 is \"abc\", allowed 64 lowercase hex digits (SHA-256)"),
                Arguments.of("deploy-command.json", "url", null,
                        "DeployCommand: url and inline are both absent, allowed exactly one of them"),
                Arguments.of("deploy-command.json", "url", "\"ftp://models.example.com/m.onnx\"",
                        "DeployCommand: url is \"ftp://models.example.com/m.onnx\", allowed an absolute https,"
                                + " http or file URL"),
                Arguments.of("deploy-command.json", "signature", "\"AAEC\"",
                        "DeployCommand: signature is \"AAEC\" (3 bytes), allowed base64 of a 64-byte Ed25519"
                                + " signature"),
                Arguments.of("deploy-command.json", "sizeBytes", "0",
                        "DeployCommand: sizeBytes is 0, allowed 1..2147483647"),
                Arguments.of("deploy-status-rejected.json", "reason", null,
                        "DeployStatus: reason is missing, allowed a non-blank string of at most 1024 characters"
                                + " (required when state is rejected, rolled-back or shadow-dropped)"),
                Arguments.of("deploy-status.json", "schema", "2", "DeployStatus: schema is 2, allowed 1"),
                Arguments.of("deploy-status.json", "schema", null, "DeployStatus: schema is missing, allowed 1"));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("invalid")
    void invalidVariantFailsSchemaAndDecoder(String file, String field, String json, String expected) {
        ObjectNode tree = (ObjectNode) SchemaFiles.example(file);
        if (json == null) {
            tree.remove(field);
        } else {
            tree.set(field, SchemaFiles.read(json.getBytes(StandardCharsets.UTF_8)));
        }
        String schema = (String) examples().filter(a -> a.get()[0].equals(file)).findFirst().orElseThrow().get()[1];
        Set<ValidationMessage> errors = SchemaFiles.validate(schema, tree);
        assertFalse(errors.isEmpty(), "schema " + schema + " accepted " + tree);
        MessageRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(MessageRejectedException.class,
                () -> Payloads.decode("edgeloop/gate-01/front/events",
                        tree.toString().getBytes(StandardCharsets.UTF_8), payloadType(schema)));
        assertEquals("edgeloop/gate-01/front/events: " + expected, e.getMessage());
        assertEquals(expected, e.reason());
    }

    @Test
    void modelCardSchemaRejectsWhatTheCardRejects() {
        ObjectNode card = (ObjectNode) SchemaFiles.example("model-card.json");
        card.put("temprature", 2.0);
        assertFalse(SchemaFiles.validate("model-card", card).isEmpty());
        ObjectNode shape = (ObjectNode) SchemaFiles.example("model-card.json");
        ((ObjectNode) shape.get("input")).set("shape",
                SchemaFiles.read("[1,1,224,224]".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SchemaFiles.validate("model-card", shape).isEmpty());
        ObjectNode labels = (ObjectNode) SchemaFiles.example("model-card.json");
        labels.set("labels", SchemaFiles.read("[\"a\",\"a\"]".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SchemaFiles.validate("model-card", labels).isEmpty());
    }

    @Test
    void cardsWrittenByJavaValidate() {
        ModelCard minimal = ModelCard.builder().setName("tiny").setVersion("1")
                .setCreated(java.time.Instant.parse("2026-11-28T18:00:00.123456789Z"))
                .setLabels(java.util.List.of("a", "b")).setInput(InputSpec.square("x", 32))
                .setPreprocessing(PreprocessSpec.imagenet(36, 32).withCropSize(32))
                .setOutput(OutputSpec.logits("y")).build();
        ModelCard bgr = minimal.toBuilder().setInput(new InputSpec("x", java.util.List.of(1L, 3L, 32L, 32L)))
                .setPreprocessing(new PreprocessSpec(ResizePolicy.NONE, 0, 32, java.util.List.of(103.9, 116.8, 123.7),
                        java.util.List.of(1.0, 1.0, 1.0), 1.0, ColourOrder.BGR))
                .setOutput(new OutputSpec(OutputKind.PROBABILITIES, "y", null)).build();
        for (ModelCard card : java.util.List.of(minimal, bgr)) {
            JsonNode json = SchemaFiles.read(card.toJson().getBytes(StandardCharsets.UTF_8));
            assertEquals(Set.of(), SchemaFiles.validate("model-card", json), card.toJson());
        }
    }

    @Test
    void schemaDirectoryIsFound() {
        assertTrue(SchemaFiles.DIR.endsWith(Path.of("docs", "schemas")), SchemaFiles.DIR.toString());
    }
}

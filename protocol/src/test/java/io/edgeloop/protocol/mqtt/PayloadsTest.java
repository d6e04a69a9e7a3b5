package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.digest.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    static final Instant T0 = Instant.parse("2026-11-28T18:06:01.250Z");
    static final ModelRef MODEL = ModelRef.of("flowers", "3");

    static ClassificationEvent event(String device, String camera) {
        return new ClassificationEvent(1, device, camera, 7, T0, T0.plusMillis(12), MODEL, "rose", false, 0.5,
                List.of(new Prediction("rose", 0.8), new Prediction("tulip", 0.15)),
                new LatencyBreakdown(2.0, 0.5, 4.25), null, null);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodeStartsWithSchemaAndOmitsAbsentFields() {
        String json = new String(Payloads.encode(event("gate-01", "front")), StandardCharsets.UTF_8);
        assertEquals("{\"schema\":1,\"device\":\"gate-01\",\"camera\":\"front\",\"seq\":7,"
                + "\"capturedAt\":\"2026-11-28T18:06:01.250Z\",\"publishedAt\":\"2026-11-28T18:06:01.262Z\","
                + "\"model\":{\"name\":\"flowers\",\"version\":\"3\"},\"label\":\"rose\",\"unknown\":false,"
                + "\"minConfidence\":0.5,\"top\":[{\"label\":\"rose\",\"score\":0.8},{\"label\":\"tulip\","
                + "\"score\":0.15}],\"latency\":{\"decodeMs\":2.0,\"preprocessMs\":0.5,\"inferenceMs\":4.25}}", json);
    }

    @Test
    void bootMustBeAnId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClassificationEvent(1,
                "gate-01", "front", 0, T0, T0, MODEL, "rose", false, 0.5, List.of(new Prediction("rose", 0.8)),
                new LatencyBreakdown(0, 0, 0), null, null, "a/b"));
        assertTrue(e.getMessage().startsWith("boot is \"a/b\", allowed [A-Za-z0-9]"), e.getMessage());
    }

    @Test
    void everyPayloadTypeRoundTrips() throws Exception {
        byte[] jpeg = tinyJpeg();
        String jpegB64 = Base64.getEncoder().encodeToString(jpeg);
        List<Payload> payloads = List.of(
                new DeviceStatus(1, "gate-01", DeviceState.ONLINE, T0, T0.minusSeconds(5), "0.1.0",
                        new ModelRef("flowers", "3", Sha256.hex(jpeg)), List.of("front", "yard")),
                new DeviceStatus(1, "gate-01", DeviceState.OFFLINE, T0, T0, "0.1.0", null, List.of()),
                event("gate-01", "front"),
                new ClassificationEvent(1, "gate-01", "front", 8, T0, T0, MODEL, "tulip", true, 0.9,
                        List.of(new Prediction("tulip", 0.6)), new LatencyBreakdown(0, 0, 0), jpegB64, "rose"),
                new ClassificationEvent(1, "gate-01", "front", 0, T0, T0, MODEL, "tulip", false, 0.5,
                        List.of(new Prediction("tulip", 0.6)), new LatencyBreakdown(0, 0, 0), null, null,
                        "0f1e2d3c4b5a6978"),
                new HardExample(1, "gate-01", "front", 0, T0, MODEL, HardExampleReason.AUDIT,
                        List.of(new Prediction("tulip", 0.6)), jpegB64, Sha256.hex(jpeg),
                        List.of(HardExampleReason.AUDIT), "0f1e2d3c4b5a6978"),
                new DeviceMetrics(1, "gate-01", T0, 60, List.of(new CameraMetrics("front", 10, 600, 1, 2, 8, 12)),
                        0, 0.25, 100_000_000L, 3, 4096, 0, 1),
                new HardExample(1, "gate-01", "front", 8, T0, MODEL, HardExampleReason.LOW_CONFIDENCE,
                        List.of(new Prediction("tulip", 0.6)), jpegB64, Sha256.hex(jpeg)),
                HardExample.of("gate-01", "front", 9, T0, MODEL, HardExampleReason.AUDIT,
                        List.of(new Prediction("tulip", 0.99)), jpeg,
                        List.of(HardExampleReason.AUDIT, HardExampleReason.ENTROPY)),
                new DeployCommand(1, "flowers", "3", T0, "https://example.com/m.onnx", null,
                        Sha256.hex(jpeg), 123, Base64.getEncoder().encodeToString(new byte[64]), "k1"),
                new DeployStatus(1, "gate-01", MODEL, DeployState.SMOKE_TESTING, null, T0),
                new DeployStatus(1, "gate-01", MODEL, DeployState.ROLLED_BACK, "smoke test failed", T0));
        for (Payload p : payloads) {
            byte[] json = Payloads.encode(p);
            assertEquals(p, Payloads.decode(json, p.getClass()));
            assertEquals(java.util.Set.of(), SchemaFiles.validate(SchemaFiles.schemaName(p.getClass()),
                    SchemaFiles.read(json)), new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void inlineDeployCommandCarriesAVerifiableSignature() throws Exception {
        byte[] model = new byte[1000];
        new Random(3).nextBytes(model);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, new SecureRandom(new byte[] {1}));
        KeyPair keys = generator.generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(model);
        DeployCommand command = new DeployCommand(1, "flowers", "4", T0, null,
                Base64.getEncoder().encodeToString(model), Sha256.hex(model), model.length,
                Base64.getEncoder().encodeToString(signer.sign()), "release-2026");
        assertEquals(java.util.Set.of(), SchemaFiles.validate("deploy-command",
                SchemaFiles.read(Payloads.encode(command))));
        DeployCommand decoded = Payloads.decode(Payloads.encode(command), DeployCommand.class);

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(keys.getPublic());
        verifier.update(Base64.getDecoder().decode(decoded.inline()));
        assertTrue(verifier.verify(Base64.getDecoder().decode(decoded.signature())));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeployCommand(1,
                "flowers", "4", T0, null, command.inline(), command.sha256(), 999, command.signature(), "k"));
        assertEquals("sizeBytes is 999, allowed the size of inline (1000 bytes)", e.getMessage());
        String otherSha = Sha256.hex(new byte[1]);
        e = assertThrows(IllegalArgumentException.class, () -> new DeployCommand(1, "flowers", "4", T0, null,
                command.inline(), otherSha, 1000, command.signature(), "k"));
        assertEquals("sha256 is \"" + otherSha + "\", allowed the SHA-256 of inline (\"" + command.sha256()
                + "\")", e.getMessage());
    }

    @Test
    void malformedMessagesAreRejectedWithTopicTypeAndReason() throws Exception {
        String topic = "edgeloop/gate-01/front/events";
        assertRejected("ClassificationEvent: payload is empty, allowed a JSON object", new byte[0]);
        assertRejected("ClassificationEvent: not valid JSON (Unrecognized token 'x': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 2)", utf8("x"));
        assertRejected("ClassificationEvent: payload is a JSON array, allowed a JSON object", utf8("[1,2]"));
        assertRejected("ClassificationEvent: schema is missing, allowed 1", utf8("{\"device\":\"a\"}"));
        assertRejected("ClassificationEvent: schema is \"1\", allowed 1", utf8("{\"schema\":\"1\"}"));
        assertRejected("ClassificationEvent: schema is 2, allowed 1", utf8("{\"schema\":2,\"whatever\":true}"));
        assertRejected("ClassificationEvent: not valid JSON (Duplicate field 'schema' at line 1, column 21)",
                utf8("{\"schema\":1,\"schema\":1}"));
        assertRejected("ClassificationEvent: not valid JSON (Invalid UTF-8 start byte 0xff at line 1, column 16)",
                new byte[] {'{', '"', 's', 'c', 'h', 'e', 'm', 'a', '"', ':', '1', ',', '"', (byte) 0xFF, '"', '}'});
        assertRejected("ClassificationEvent: payload is 16777217 bytes, allowed at most 16777216",
                new byte[Payloads.MAX_BYTES + 1]);

        String good = new String(Payloads.encode(event("gate-01", "front")), StandardCharsets.UTF_8);
        assertRejected("ClassificationEvent: top[1].score is 1.5, allowed a number in 0..1",
                utf8(good.replace("\"score\":0.15", "\"score\":1.5")));
        assertRejected("ClassificationEvent: top[1].score is 0.9, allowed at most top[0].score (0.8): sorted by"
                + " score, best first", utf8(good.replace("\"score\":0.15", "\"score\":0.9")));
        assertRejected("ClassificationEvent: top[1].score is missing, allowed a number",
                utf8(good.replace(",\"score\":0.15", "")));
        assertRejected("ClassificationEvent: label is \"tulip\", allowed top[0].label (\"rose\")",
                utf8(good.replace("\"label\":\"rose\",\"unknown\"", "\"label\":\"tulip\",\"unknown\"")));
        assertRejected("ClassificationEvent: unknown is true, allowed false because top[0].score (0.8) is at or"
                + " above minConfidence (0.5)", utf8(good.replace("\"unknown\":false", "\"unknown\":true")));
        assertRejected("ClassificationEvent: seq is 7.5, allowed an integer", utf8(good.replace("\"seq\":7",
                "\"seq\":7.5")));
        assertRejected("ClassificationEvent: seq is missing, allowed an integer",
                utf8(good.replace("\"seq\":7,", "")));
        assertRejected("ClassificationEvent: latency.inferenceMs is -4.25, allowed a finite number >= 0",
                utf8(good.replace("4.25", "-4.25")));
        assertRejected("ClassificationEvent: model.version is \"a b\", allowed [A-Za-z0-9][A-Za-z0-9._-]{0,127}"
                        + " (1-128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)",
                utf8(good.replace("\"version\":\"3\"", "\"version\":\"a b\"")));
        assertRejected("ClassificationEvent: thumbnail is \"***\" (not base64: Illegal base64 character 2a),"
                        + " allowed standard base64 of a JPEG image",
                utf8(good.replace("}}", "},\"thumbnail\":\"***\"}")));
        assertRejected("ClassificationEvent: label is 5, allowed a string",
                utf8(good.replace("\"label\":\"rose\",\"unknown\"", "\"label\":5,\"unknown\"")));
        assertRejected("ClassificationEvent: unknown is 0, allowed true or false",
                utf8(good.replace("\"unknown\":false", "\"unknown\":0")));
        assertRejected("ClassificationEvent: capturedAt is 1764353161, allowed an ISO-8601 UTC instant such as"
                + " 2026-11-28T18:00:00Z", utf8(good.replace("\"2026-11-28T18:06:01.250Z\"", "1764353161")));
        assertRejected("ClassificationEvent: model is [], allowed a JSON object (ModelRef)",
                utf8(good.replace("{\"name\":\"flowers\",\"version\":\"3\"}", "[]")));
        assertRejected("ClassificationEvent: top[0] is missing, allowed {label, score}",
                utf8(good.replace("\"top\":[", "\"top\":[null,")));
        assertRejected("ClassificationEvent: seq is 99999999999999999999 (Numeric value (99999999999999999999) out"
                + " of range of long (-9223372036854775808 - 9223372036854775807))",
                utf8(good.replace("\"seq\":7", "\"seq\":99999999999999999999")));
        // An offset other than Z is still an exact instant.
        assertEquals(event("gate-01", "front"), Payloads.decode(utf8(good.replace("2026-11-28T18:06:01.250Z",
                "2026-11-28T19:06:01.250+01:00")), ClassificationEvent.class));
        MessageRejectedException e = assertThrows(MessageRejectedException.class,
                () -> Payloads.decode(topic, utf8("{"), ClassificationEvent.class));
        assertEquals(topic, e.topic());
        assertTrue(e.getMessage().startsWith(topic + ": ClassificationEvent: not valid JSON"), e.getMessage());
    }

    private static void assertRejected(String expected, byte[] bytes) {
        String topic = "edgeloop/gate-01/front/events";
        MessageRejectedException e = assertThrows(MessageRejectedException.class,
                () -> Payloads.decode(topic, bytes, ClassificationEvent.class));
        assertEquals(topic + ": " + expected, e.getMessage());
        MessageRejectedException noTopic = assertThrows(MessageRejectedException.class,
                () -> Payloads.decode(bytes, ClassificationEvent.class));
        assertEquals(expected, noTopic.getMessage());
        assertNull(noTopic.topic());
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() throws Exception {
        String good = new String(Payloads.encode(event("gate-01", "front")), StandardCharsets.UTF_8);
        String extended = good.replace("{\"schema\":1,", "{\"schema\":1,\"gpu\":{\"temp\":51},");
        assertEquals(event("gate-01", "front"), Payloads.decode(utf8(extended), ClassificationEvent.class));
    }

    @Test
    void decodeWithTopicChecksTopicAndPayloadAgree() throws Exception {
        Topics topics = Topics.DEFAULT;
        byte[] bytes = Payloads.encode(event("gate-01", "front"));
        ReceivedMessage m = Payloads.decode(topics, "edgeloop/gate-01/front/events", bytes);
        assertEquals(new TopicAddress(TopicKind.EVENTS, "gate-01", "front"), m.address());
        assertEquals(event("gate-01", "front"), m.payloadAs(ClassificationEvent.class));
        assertEquals("payload is a ClassificationEvent, not a HardExample",
                assertThrows(IllegalArgumentException.class, () -> m.payloadAs(HardExample.class)).getMessage());

        assertEquals("edgeloop/gate-02/front/events: ClassificationEvent: device is \"gate-01\", allowed the topic's"
                        + " device (\"gate-02\")",
                assertThrows(MessageRejectedException.class,
                        () -> Payloads.decode(topics, "edgeloop/gate-02/front/events", bytes)).getMessage());
        assertEquals("edgeloop/gate-01/yard/events: ClassificationEvent: camera is \"front\", allowed the topic's"
                        + " camera (\"yard\")",
                assertThrows(MessageRejectedException.class,
                        () -> Payloads.decode(topics, "edgeloop/gate-01/yard/events", bytes)).getMessage());
        // An event published on a status topic is decoded as a status and fails on its fields.
        assertTrue(assertThrows(MessageRejectedException.class,
                () -> Payloads.decode(topics, "edgeloop/gate-01/status", bytes)).getMessage()
                .startsWith("edgeloop/gate-01/status: DeviceStatus: state is missing"));
        assertEquals("other/gate-01/status: not an edgeloop topic: allowed topics under \"edgeloop/\"",
                assertThrows(MessageRejectedException.class,
                        () -> Payloads.decode(topics, "other/gate-01/status", bytes)).getMessage());
    }

    @Test
    void recordsRejectInvalidValuesInJavaToo() {
        assertEquals("camera is \"front cam\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters, digits,"
                        + " '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> event("gate-01", "front cam")).getMessage());
        assertEquals("latencyP95Ms is 5.0, allowed at least latencyP50Ms (8.0)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CameraMetrics("front", 1, 1, 0, 0, 8, 5)).getMessage());
        assertEquals("cameras[1].camera is \"front\", a duplicate, allowed unique cameras",
                assertThrows(IllegalArgumentException.class, () -> new DeviceMetrics(1, "d", T0, 1,
                        List.of(new CameraMetrics("front", 1, 1, 0, 0, 1, 1),
                                new CameraMetrics("front", 1, 1, 0, 0, 1, 1)),
                        0, 0, 0, 0, 0, 0, 0)).getMessage());
        assertEquals("top[1].label is \"a\", a duplicate, allowed unique labels",
                assertThrows(IllegalArgumentException.class, () -> new HardExample(1, "d", "c", 0, T0, MODEL,
                        HardExampleReason.MARGIN, List.of(new Prediction("a", 0.5), new Prediction("a", 0.4)),
                        "", "")).getMessage());
        assertEquals("url and inline are both present, allowed exactly one of them",
                assertThrows(IllegalArgumentException.class, () -> new DeployCommand(1, "m", "1", T0,
                        "https://x/m.onnx", "AAAA", Sha256.hex(new byte[3]), 3,
                        Base64.getEncoder().encodeToString(new byte[64]), "k")).getMessage());
        assertEquals("schema is 0, allowed 1", assertThrows(IllegalArgumentException.class,
                () -> new DeployStatus(0, "d", MODEL, DeployState.ACTIVE, null, T0)).getMessage());
    }

    @Test
    void hardExampleImageHashMustMatch() throws Exception {
        byte[] jpeg = tinyJpeg();
        String b64 = Base64.getEncoder().encodeToString(jpeg);
        String wrong = Sha256.hex(new byte[] {1});
        assertEquals("imageSha256 is \"" + wrong + "\", allowed the SHA-256 of the image bytes (\""
                        + Sha256.hex(jpeg) + "\")",
                assertThrows(IllegalArgumentException.class, () -> new HardExample(1, "d", "c", 0, T0, MODEL,
                        HardExampleReason.DISAGREEMENT, List.of(new Prediction("a", 0.5)), b64, wrong))
                        .getMessage());
    }

    @Test
    void factoriesDeriveTheDependentFields() throws Exception {
        byte[] jpeg = tinyJpeg();
        List<Prediction> top = List.of(new Prediction("rose", 0.45), new Prediction("tulip", 0.40));
        ClassificationEvent unsure = ClassificationEvent.of("gate-01", "front", 9, T0, T0, MODEL, 0.5, top,
                new LatencyBreakdown(1, 1, 1), jpeg);
        assertEquals("rose", unsure.label());
        assertTrue(unsure.unknown());
        assertEquals(Base64.getEncoder().encodeToString(jpeg), unsure.thumbnail());
        ClassificationEvent sure = ClassificationEvent.of("gate-01", "front", 9, T0, T0, MODEL, 0.45, top,
                new LatencyBreakdown(1, 1, 1), null);
        assertEquals(false, sure.unknown());
        assertNull(sure.thumbnail());

        HardExample hard = HardExample.of("gate-01", "front", 9, T0, MODEL, HardExampleReason.MARGIN, top, jpeg);
        assertEquals(Sha256.hex(jpeg), hard.imageSha256());
        org.junit.jupiter.api.Assertions.assertArrayEquals(jpeg, hard.imageBytes());
        assertEquals("image is \"AAAA\" (3 bytes without the JPEG marker FF D8 FF), allowed standard base64 of a"
                        + " JPEG image",
                assertThrows(IllegalArgumentException.class, () -> HardExample.of("gate-01", "front", 9, T0, MODEL,
                        HardExampleReason.MARGIN, top, new byte[3])).getMessage());

        DeviceStatus birth = DeviceStatus.online("gate-01", T0, T0, "0.1.0", MODEL, List.of("front"));
        DeviceStatus will = birth.asOffline();
        assertEquals(DeviceState.ONLINE, birth.state());
        assertEquals(DeviceState.OFFLINE, will.state());
        assertEquals(birth.cameras(), will.cameras());
    }

    /** A real JPEG, encoded by ImageIO (deterministic for a fixed image). */
    static byte[] tinyJpeg() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, (x * 32) << 16 | (y * 32) << 8 | 128);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(image, "jpeg", out));
        return out.toByteArray();
    }
}

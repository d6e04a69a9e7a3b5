package io.edgeloop.protocol.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional per-camera predictions of the metrics payload: bins, round trip, schema, old payloads, checks. */
class PredictionStatsTest {

    private static final ModelRef MODEL = ModelRef.of("flowers", "3");
    private static final Instant T0 = Instant.parse("2026-11-28T18:08:00Z");

    static PredictionStats stats() {
        return new PredictionStats(MODEL, 60, 6, Map.of("rose", 4L, "tulip", 2L),
                List.of(0L, 0L, 0L, 0L, 1L, 0L, 0L, 2L, 0L, 3L), 0.81);
    }

    static DeviceMetrics metrics(PredictionStats predictions) {
        return new DeviceMetrics(1, "gate-01", T0, 60,
                List.of(new CameraMetrics("front", 0.1, 6, 0, 0, 8, 12, predictions)), 0, 0.25, 1000, 0, 0, 0, 0);
    }

    @Test
    void binsAreTenthsWithOneInTheLastBin() {
        assertEquals(0, PredictionStats.bin(0));
        assertEquals(0, PredictionStats.bin(0.0999));
        assertEquals(1, PredictionStats.bin(0.1));
        assertEquals(5, PredictionStats.bin(0.55));
        assertEquals(9, PredictionStats.bin(0.9));
        assertEquals(9, PredictionStats.bin(1.0));
        assertEquals(9, PredictionStats.bin(1.5));
        assertEquals(0, PredictionStats.bin(-0.2));
        assertEquals(0, PredictionStats.bin(Double.NaN));
    }

    @Test
    void metricsWithPredictionsRoundTripAndValidate() throws Exception {
        DeviceMetrics m = metrics(stats());
        byte[] json = Payloads.encode(m);
        assertEquals(m, Payloads.decode(json, DeviceMetrics.class));
        assertEquals(Set.of(), SchemaFiles.validate("device-metrics", SchemaFiles.read(json)));
        String text = new String(json, StandardCharsets.UTF_8);
        assertEquals(true, text.contains("\"predictions\":{\"model\":{\"name\":\"flowers\",\"version\":\"3\"},"
                + "\"intervalS\":60.0,\"frames\":6,\"classes\":{\"rose\":4,\"tulip\":2},"
                + "\"confidence\":[0,0,0,0,1,0,0,2,0,3],\"meanConfidence\":0.81}"), text);
    }

    @Test
    void payloadsWithoutPredictionsStillDecodeAndOmitTheField() throws Exception {
        byte[] old = SchemaFiles.example("device-metrics.json").toString().getBytes(StandardCharsets.UTF_8);
        DeviceMetrics m = Payloads.decode(old, DeviceMetrics.class);
        assertNull(m.cameras().get(0).predictions());
        assertFalse(new String(Payloads.encode(m), StandardCharsets.UTF_8).contains("predictions"));
    }

    @Test
    void theDocumentedExampleCarriesItsCounts() throws Exception {
        ObjectNode tree = (ObjectNode) SchemaFiles.example("device-metrics-predictions.json");
        DeviceMetrics m = Payloads.decode(tree.toString().getBytes(StandardCharsets.UTF_8), DeviceMetrics.class);
        assertEquals(594, m.cameras().get(0).predictions().frames());
        assertEquals(Map.of("daisy", 41L, "rose", 233L, "tulip", 320L), m.cameras().get(0).predictions().classes());
    }

    @Test
    void countsMustAddUpToFrames() {
        assertEquals("classes adds up to 6, allowed frames (7)", assertThrows(IllegalArgumentException.class,
                () -> new PredictionStats(MODEL, 60, 7, Map.of("rose", 4L, "tulip", 2L),
                        List.of(0L, 0L, 0L, 0L, 1L, 0L, 0L, 2L, 0L, 4L), 0.8)).getMessage());
        assertEquals("confidence adds up to 5, allowed frames (6)", assertThrows(IllegalArgumentException.class,
                () -> new PredictionStats(MODEL, 60, 6, Map.of("rose", 4L, "tulip", 2L),
                        List.of(0L, 0L, 0L, 0L, 1L, 0L, 0L, 2L, 0L, 2L), 0.8)).getMessage());
    }

    @Test
    void badPredictionsAreRejectedByTheDecoderAndTheSchema() throws Exception {
        ObjectNode tree = (ObjectNode) SchemaFiles.example("device-metrics-predictions.json");
        ObjectNode predictions = (ObjectNode) tree.get("cameras").get(0).get("predictions");
        ((ArrayNode) predictions.get("confidence")).remove(0);
        assertFalse(SchemaFiles.validate("device-metrics", tree).isEmpty());
        MessageRejectedException e = assertThrows(MessageRejectedException.class, () -> Payloads.decode(
                tree.toString().getBytes(StandardCharsets.UTF_8), DeviceMetrics.class));
        assertEquals("DeviceMetrics: cameras[0].predictions.confidence has 9 bins, allowed 10", e.reason());

        ObjectNode negative = (ObjectNode) SchemaFiles.example("device-metrics-predictions.json");
        ((ObjectNode) negative.get("cameras").get(0).get("predictions").get("classes")).put("rose", -1);
        assertFalse(SchemaFiles.validate("device-metrics", negative).isEmpty());
        e = assertThrows(MessageRejectedException.class, () -> Payloads.decode(
                negative.toString().getBytes(StandardCharsets.UTF_8), DeviceMetrics.class));
        assertEquals("DeviceMetrics: cameras[0].predictions.classes.rose is -1, allowed an integer >= 0", e.reason());
    }
}

package io.edgeloop.agent.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * JSON encoding of the agent's payloads. Thread-safe. Timestamps are ISO-8601 UTC strings; scores are probabilities
 * rounded to 4 decimals.
 */
public final class Payloads {

    public static final String EVENT_SCHEMA = "edgeloop.event/1";
    public static final String STATUS_SCHEMA = "edgeloop.status/1";
    public static final String METRICS_SCHEMA = "edgeloop.metrics/1";
    public static final String HARD_SCHEMA = "edgeloop.hard/1";

    private final ObjectMapper mapper = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** One label and its probability. */
    public record Score(String label, double score) {
    }

    /**
     * A classification of one frame.
     *
     * @param run         id of this agent run: sequence numbers restart with each run
     * @param seq         per-camera sequence number (gaps mean events not published, e.g. on-change mode)
     * @param frame       what the frame was called (file, stream position)
     * @param groundTruth known true label (replay), else null
     * @param latencyMs   decode-to-decision time
     */
    public record ClassificationEvent(String schema, String device, String camera, String run, long seq, String ts,
            String label, double score, boolean unknown, List<Score> top, String model, String frame,
            String groundTruth, double latencyMs) {
    }

    /** Birth / last-will status. */
    public record Status(String schema, String device, String state, String ts, String model, List<String> cameras,
            String agentVersion) {
    }

    /** Periodic metrics of the device. */
    public record Metrics(String schema, String device, String ts, double intervalSeconds, Map<String, Object> link,
            Map<String, Object> spool, Map<String, Map<String, Object>> cameras) {
    }

    /** A frame the model found hard, with the image for labelling. */
    public record HardExample(String schema, String device, String camera, String run, long seq, String ts,
            String label, double score, double margin, List<Score> top, String model, String frame, String hash,
            String imageJpegBase64) {
    }

    public byte[] encode(Object payload) {
        try {
            return mapper.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + payload.getClass().getSimpleName(), e);
        }
    }

    public <T> T decode(byte[] json, Class<T> type) throws java.io.IOException {
        return mapper.readValue(json, type);
    }

    /** Rounds a probability for publishing. */
    public static double round(double p) {
        return Math.round(p * 10_000) / 10_000.0;
    }
}

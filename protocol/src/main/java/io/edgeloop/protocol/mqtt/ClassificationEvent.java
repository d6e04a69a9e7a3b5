package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One classified frame, on {@code <prefix>/<device>/<camera>/events}. Self-contained: a consumer needs no model
 * card to use it.
 *
 * @param schema        payload version, {@value Payloads#SCHEMA}
 * @param device        device id
 * @param camera        camera id
 * @param seq           per-camera frame sequence number, increasing, starting at 0 when the agent starts
 * @param capturedAt    when the frame was captured
 * @param publishedAt   when the event was handed to MQTT (or to the spool); end-to-end latency is the difference
 * @param model         model name and version that classified the frame
 * @param label         top-1 label (always {@code top[0].label}, also when {@code unknown})
 * @param unknown       whether {@code top[0].score} is below {@code minConfidence}: treat the frame as unknown
 * @param minConfidence the confidence threshold in force, 0..1
 * @param top           top-k predictions, best first, scores are calibrated probabilities
 * @param latency       decode, preprocess and inference time
 * @param thumbnail     base64 JPEG thumbnail, only when the agent is configured to send one; else {@code null}
 * @param groundTruth   the frame's true label when the source knows it (a replayed, labelled dataset in demos,
 *                      tests and benchmarks); {@code null} for live cameras
 * @param boot          the agent run that made the event: an id the agent draws at every start, so that
 *                      {@code (device, camera, boot, seq)} names one event across restarts (where {@code seq} starts
 *                      at 0 again); {@code null} from producers that do not send it
 */
public record ClassificationEvent(
        @JsonProperty(required = true) int schema,
        String device,
        String camera,
        @JsonProperty(required = true) long seq,
        Instant capturedAt,
        Instant publishedAt,
        ModelRef model,
        String label,
        @JsonProperty(required = true) boolean unknown,
        @JsonProperty(required = true) double minConfidence,
        List<Prediction> top,
        LatencyBreakdown latency,
        String thumbnail,
        String groundTruth,
        String boot) implements Payload {

    public ClassificationEvent {
        Fields.schema(schema);
        Fields.device("device", device);
        Fields.device("camera", camera);
        Fields.nonNegative("seq", seq);
        Fields.instant("capturedAt", capturedAt);
        Fields.instant("publishedAt", publishedAt);
        Fields.present("model", model, "{name, version}");
        Fields.unit("minConfidence", minConfidence);
        top = Prediction.topK("top", top);
        Fields.present("label", label, "top[0].label");
        if (!label.equals(top.get(0).label())) {
            throw new IllegalArgumentException("label is \"" + label + "\", allowed top[0].label (\""
                    + top.get(0).label() + "\")");
        }
        boolean below = top.get(0).score() < minConfidence;
        if (unknown != below) {
            throw new IllegalArgumentException("unknown is " + unknown + ", allowed " + below
                    + " because top[0].score ("
                    + top.get(0).score() + ") is " + (below ? "below" : "at or above") + " minConfidence ("
                    + minConfidence + ")");
        }
        Fields.present("latency", latency, "{decodeMs, preprocessMs, inferenceMs}");
        if (thumbnail != null) {
            Fields.base64Jpeg("thumbnail", thumbnail);
        }
        if (groundTruth != null && groundTruth.isBlank()) {
            throw new IllegalArgumentException("groundTruth is blank, allowed a label or absent");
        }
        if (boot != null) {
            Fields.device("boot", boot);
        }
    }

    /** An event without {@code boot} (a producer that does not identify its runs). */
    public ClassificationEvent(int schema, String device, String camera, long seq, Instant capturedAt,
            Instant publishedAt, ModelRef model, String label, boolean unknown, double minConfidence,
            List<Prediction> top, LatencyBreakdown latency, String thumbnail, String groundTruth) {
        this(schema, device, camera, seq, capturedAt, publishedAt, model, label, unknown, minConfidence, top,
                latency, thumbnail, groundTruth, null);
    }

    /**
     * An event with {@code label} and {@code unknown} derived from {@code top} and {@code minConfidence}, the way
     * the contract defines them.
     *
     * @param top           top-k predictions, best first (must not be empty)
     * @param thumbnailJpeg JPEG bytes of the thumbnail, or {@code null} for none
     */
    public static ClassificationEvent of(String device, String camera, long seq, Instant capturedAt,
                                         Instant publishedAt, ModelRef model, double minConfidence,
                                         List<Prediction> top, LatencyBreakdown latency, byte[] thumbnailJpeg) {
        Fields.present("top", top, "a non-empty list of {label, score}");
        if (top.isEmpty()) {
            throw new IllegalArgumentException("top has 0 entries, allowed 1..100");
        }
        Prediction best = top.get(0);
        return new ClassificationEvent(Payloads.SCHEMA, device, camera, seq, capturedAt, publishedAt, model,
                best.label(), best.score() < minConfidence, minConfidence, top, latency,
                thumbnailJpeg == null ? null : Base64.getEncoder().encodeToString(thumbnailJpeg), null);
    }
}

package io.edgeloop.agent.event;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.LatencyBreakdown;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds one camera's outgoing messages in the shared contract; events of replayed, labelled frames carry their
 * {@code groundTruth}. Thread-safe.
 */
public final class EventMessages {

    private final Topics topics;
    private final String device;
    private final String camera;
    private final ModelRef model;
    private final int eventsQos;
    private final String boot;

    /**
     * @param boot the agent run's id ({@link io.edgeloop.protocol.mqtt.ClassificationEvent#boot}), or null
     */
    public EventMessages(Topics topics, String device, String camera, ModelRef model, int eventsQos, String boot) {
        this.boot = boot;
        this.topics = topics;
        this.device = device;
        this.camera = camera;
        this.model = model;
        this.eventsQos = eventsQos;
    }

    /** Probabilities as published: rounded to 6 decimals and clamped to 0..1 (float noise). */
    static double score(double p) {
        return Math.min(1.0, Math.max(0.0, Math.round(p * 1e6) / 1e6));
    }

    static List<Prediction> predictions(Classification c) {
        List<Prediction> out = new ArrayList<>(c.top().size());
        for (Classification.Ranked r : c.top()) {
            out.add(new Prediction(r.label(), score(r.score())));
        }
        return out;
    }

    /** A classification event for frame {@code seq}, with an optional JPEG thumbnail. */
    public SpooledMessage event(long seq, Instant capturedAt, Classification c, LatencyBreakdown latency,
            String groundTruth, byte[] thumbnailJpeg) {
        List<Prediction> top = predictions(c);
        double threshold = c.threshold();
        // the published flag must agree with the published (rounded) score
        boolean unknown = top.get(0).score() < threshold;
        ClassificationEvent event = new ClassificationEvent(Payloads.SCHEMA, device, camera, seq, capturedAt,
                Instant.now(), model, top.get(0).label(), unknown, threshold, top, latency,
                thumbnailJpeg == null ? null : Base64.getEncoder().encodeToString(thumbnailJpeg), groundTruth, boot);
        byte[] bytes = Payloads.encode(event);
        return new SpooledMessage(topics.events(device, camera), eventsQos, false, bytes);
    }

    /**
     * A hard example for frame {@code seq}, with the image as JPEG.
     *
     * @param reason  the selector it is sent for
     * @param reasons every selector that fired on it (contains {@code reason})
     */
    public SpooledMessage hardExample(long seq, Instant capturedAt, Classification c, HardExampleReason reason,
            List<HardExampleReason> reasons, byte[] jpeg) {
        HardExample h = new HardExample(Payloads.SCHEMA, device, camera, seq, capturedAt, model, reason,
                predictions(c), Base64.getEncoder().encodeToString(jpeg), Sha256.hex(jpeg), reasons, boot);
        return new SpooledMessage(topics.hard(device, camera), TopicKind.HARD.qos(), TopicKind.HARD.retained(),
                Payloads.encode(h));
    }

}

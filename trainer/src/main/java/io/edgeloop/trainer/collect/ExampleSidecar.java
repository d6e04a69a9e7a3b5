package io.edgeloop.trainer.collect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JSON file beside each inbox JPEG: the hard-example payload without the image, where and when it was received,
 * its perceptual hash, and — once answered — the label (or that it was discarded), who gave the answer and when.
 *
 * @param schema      sidecar format version, {@value #SCHEMA}
 * @param id          example id ({@code <device>.<camera>.<stem>})
 * @param topic       the MQTT topic it arrived on
 * @param receivedAt  when the collector stored it
 * @param device      device id (payload)
 * @param camera      camera id (payload)
 * @param seq         frame sequence number (payload)
 * @param capturedAt  capture time (payload)
 * @param model       model that classified it (payload)
 * @param reason      why the device sent it (payload)
 * @param top         the model's top-k (payload)
 * @param imageSha256 SHA-256 of the JPEG bytes (payload, checked)
 * @param imageDhash  64-bit difference hash of the image, 16 hex digits, for near-duplicate detection
 * @param label       the true label, absent until labelled (and when discarded)
 * @param labelledBy  who answered (a person's name, or the ground-truth stand-in), with {@code label} or
 *                    {@code discarded}
 * @param labelledAt  when it was answered, with {@code label} or {@code discarded}
 * @param discardedFlag JSON {@code discarded}: a person decided the frame is no training example (unusable, no class
 *                    fits); {@code true} or absent (false is stored as absent, so sidecars from before discarding
 *                    existed read and write unchanged); read it with {@link #discarded()}
 */
public record ExampleSidecar(
        @JsonProperty(required = true) int schema,
        String id,
        String topic,
        Instant receivedAt,
        String device,
        String camera,
        @JsonProperty(required = true) long seq,
        Instant capturedAt,
        ModelRef model,
        HardExampleReason reason,
        List<Prediction> top,
        String imageSha256,
        String imageDhash,
        String label,
        String labelledBy,
        Instant labelledAt,
        @JsonProperty("discarded") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean discardedFlag) {

    /** Sidecar format version. */
    public static final int SCHEMA = 1;

    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");

    public ExampleSidecar {
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("schema is " + schema + ", allowed " + SCHEMA);
        }
        Objects.requireNonNull(id, "id");
        ExampleId.parse(id);
        require("topic", topic);
        require("receivedAt", receivedAt);
        require("device", device);
        require("camera", camera);
        require("capturedAt", capturedAt);
        require("model", model);
        require("reason", reason);
        require("top", top);
        top = List.copyOf(top);
        require("imageSha256", imageSha256);
        if (imageDhash == null || !HEX16.matcher(imageDhash).matches()) {
            throw new IllegalArgumentException("imageDhash is " + (imageDhash == null ? "missing" : "\""
                    + imageDhash + "\"") + ", allowed 16 lowercase hex digits");
        }
        discardedFlag = Boolean.TRUE.equals(discardedFlag) ? Boolean.TRUE : null;
        boolean discarded = discardedFlag != null;
        boolean answered = label != null || discarded;
        if (label != null && discarded) {
            throw new IllegalArgumentException("label is \"" + label + "\" and discarded is true, allowed one of them");
        }
        if (answered != (labelledBy != null) || answered != (labelledAt != null)) {
            throw new IllegalArgumentException("label, labelledBy and labelledAt are "
                    + (label == null ? (discarded ? "discarded" : "absent") : "\"" + label + "\"") + ", "
                    + (labelledBy == null ? "absent" : "\"" + labelledBy + "\"") + ", "
                    + (labelledAt == null ? "absent" : labelledAt) + ", allowed all three (or discarded, labelledBy"
                    + " and labelledAt) or none");
        }
        if (label != null) {
            Labels.require("label", label);
        }
        if (answered && (labelledBy.isBlank() || labelledBy.length() > 256)) {
            throw new IllegalArgumentException("labelledBy is \"" + labelledBy + "\", allowed a non-blank string"
                    + " of at most 256 characters");
        }
    }

    /** The sidecar for a freshly received example. */
    static ExampleSidecar of(ExampleId id, String topic, Instant receivedAt, HardExample example, long dhash) {
        return new ExampleSidecar(SCHEMA, id.toString(), topic, receivedAt, example.device(), example.camera(),
                example.seq(), example.capturedAt(), example.model(), example.reason(), example.top(),
                example.imageSha256(), DifferenceHash.hex(dhash), null, null, null, null);
    }

    /** Whether a label has been given. */
    public boolean labelled() {
        return label != null;
    }

    /** Whether it was discarded: answered, but no training example. */
    public boolean discarded() {
        return discardedFlag != null;
    }

    /** Whether a person has answered: labelled it, or discarded it. */
    public boolean answered() {
        return labelled() || discarded();
    }

    /** This example with a label (no longer discarded, if it was). */
    public ExampleSidecar withLabel(String newLabel, String by, Instant at) {
        return new ExampleSidecar(schema, id, topic, receivedAt, device, camera, seq, capturedAt, model, reason, top,
                imageSha256, imageDhash, newLabel, by, at, null);
    }

    /** This example discarded: no label, never exported, by {@code by} at {@code at}. */
    public ExampleSidecar withDiscard(String by, Instant at) {
        return new ExampleSidecar(schema, id, topic, receivedAt, device, camera, seq, capturedAt, model, reason, top,
                imageSha256, imageDhash, null, by, at, Boolean.TRUE);
    }

    /** This example unanswered again (an undone first answer). */
    public ExampleSidecar withoutAnswer() {
        return new ExampleSidecar(schema, id, topic, receivedAt, device, camera, seq, capturedAt, model, reason, top,
                imageSha256, imageDhash, null, null, null, null);
    }

    /** The difference hash as a number. */
    public long dhash() {
        return Long.parseUnsignedLong(imageDhash, 16);
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
    }
}

package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.digest.Sha256;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A frame the model was unsure about, sent back for labelling, on {@code <prefix>/<device>/<camera>/hard}.
 *
 * @param schema      payload version, {@value Payloads#SCHEMA}
 * @param device      device id
 * @param camera      camera id
 * @param seq         the frame's sequence number (as in its {@link ClassificationEvent})
 * @param capturedAt  when the frame was captured
 * @param model       model name and version that classified it
 * @param reason      why it was selected
 * @param top         the model's top-k predictions, best first
 * @param image       the frame as base64 JPEG
 * @param imageSha256 SHA-256 of the JPEG bytes, for deduplication; must match {@code image}
 * @param reasons     every selector that fired for the frame, in the agent's selector order, or null (absent: only
 *                    {@code reason} is known); when present it holds {@code reason} and no value twice
 * @param boot        the agent run that sent it (as in its {@link ClassificationEvent}), or null
 */
public record HardExample(
        @JsonProperty(required = true) int schema,
        String device,
        String camera,
        @JsonProperty(required = true) long seq,
        Instant capturedAt,
        ModelRef model,
        HardExampleReason reason,
        List<Prediction> top,
        String image,
        String imageSha256,
        List<HardExampleReason> reasons,
        String boot) implements Payload {

    public HardExample {
        Fields.schema(schema);
        Fields.device("device", device);
        Fields.device("camera", camera);
        Fields.nonNegative("seq", seq);
        Fields.instant("capturedAt", capturedAt);
        Fields.present("model", model, "{name, version}");
        Fields.present("reason", reason, "one of " + HardExampleReason.NAMES);
        top = Prediction.topK("top", top);
        byte[] jpeg = Fields.base64Jpeg("image", image);
        Fields.sha256("imageSha256", imageSha256);
        String actual = Sha256.hex(jpeg);
        if (!actual.equals(imageSha256)) {
            throw new IllegalArgumentException("imageSha256 is \"" + imageSha256 + "\", allowed the SHA-256 of the"
                    + " image bytes (\"" + actual + "\")");
        }
        if (reasons != null) {
            for (int i = 0; i < reasons.size(); i++) {
                if (reasons.get(i) == null) {
                    throw new IllegalArgumentException("reasons[" + i + "] is null, allowed one of "
                            + HardExampleReason.NAMES);
                }
            }
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("reasons has 0 entries, allowed 1.." + HardExampleReason.NAMES.size()
                        + " (or absent)");
            }
            for (int i = 0; i < reasons.size(); i++) {
                if (reasons.indexOf(reasons.get(i)) != i) {
                    throw new IllegalArgumentException("reasons[" + i + "] is \"" + reasons.get(i).wireName()
                            + "\", a duplicate, allowed unique reasons");
                }
            }
            if (!reasons.contains(reason)) {
                throw new IllegalArgumentException("reasons is " + reasons.stream().map(HardExampleReason::wireName)
                        .toList() + ", allowed a list that contains reason (\"" + reason.wireName() + "\")");
            }
        }
        if (boot != null) {
            Fields.device("boot", boot);
        }
    }

    /** A hard example without {@code boot} (a producer that does not identify its runs). */
    public HardExample(int schema, String device, String camera, long seq, Instant capturedAt, ModelRef model,
            HardExampleReason reason, List<Prediction> top, String image, String imageSha256,
            List<HardExampleReason> reasons) {
        this(schema, device, camera, seq, capturedAt, model, reason, top, image, imageSha256, reasons, null);
    }

    /** A hard example without {@code reasons} (only the reason it was sent for is known). */
    public HardExample(int schema, String device, String camera, long seq, Instant capturedAt, ModelRef model,
            HardExampleReason reason, List<Prediction> top, String image, String imageSha256) {
        this(schema, device, camera, seq, capturedAt, model, reason, top, image, imageSha256, null);
    }

    /** A hard example for the given JPEG bytes: encodes them as base64 and computes {@code imageSha256}. */
    public static HardExample of(String device, String camera, long seq, Instant capturedAt, ModelRef model,
                                 HardExampleReason reason, List<Prediction> top, byte[] jpeg) {
        Fields.present("image", jpeg, "JPEG bytes");
        return of(device, camera, seq, capturedAt, model, reason, top, jpeg, null);
    }

    /**
     * A hard example for the given JPEG bytes with every reason that fired ({@code reasons} may be null).
     */
    public static HardExample of(String device, String camera, long seq, Instant capturedAt, ModelRef model,
                                 HardExampleReason reason, List<Prediction> top, byte[] jpeg,
                                 List<HardExampleReason> reasons) {
        Fields.present("image", jpeg, "JPEG bytes");
        return new HardExample(Payloads.SCHEMA, device, camera, seq, capturedAt, model, reason, top,
                Base64.getEncoder().encodeToString(jpeg), Sha256.hex(jpeg), reasons);
    }

    /** The JPEG bytes of {@code image}. */
    public byte[] imageBytes() {
        return Base64.getDecoder().decode(image);
    }
}

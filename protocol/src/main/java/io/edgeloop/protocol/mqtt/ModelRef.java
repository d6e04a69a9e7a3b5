package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.id.Ids;

/**
 * Which model produced a message: the card's name and version, and optionally the SHA-256 of the model file.
 *
 * @param name    model name ({@value Ids#MODEL_NAME_RULE})
 * @param version model version (same rule)
 * @param sha256  SHA-256 of the ONNX file, 64 lowercase hex digits; {@code null} where not carried
 */
public record ModelRef(String name, String version, String sha256) {

    public ModelRef {
        Ids.requireModelName("name", name);
        Ids.requireModelName("version", version);
        if (sha256 != null) {
            Fields.sha256("sha256", sha256);
        }
    }

    /** A reference by name and version only. */
    public static ModelRef of(String name, String version) {
        return new ModelRef(name, version, null);
    }
}

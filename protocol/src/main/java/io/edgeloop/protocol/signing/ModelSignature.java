package io.edgeloop.protocol.signing;

import io.edgeloop.protocol.id.Ids;
import io.edgeloop.protocol.mqtt.DeployCommand;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * What a signer states about a model file: its SHA-256, its size, the Ed25519 signature over its bytes and the id of
 * the key that made it. Carried in a {@link DeployCommand}.
 *
 * @param sha256    SHA-256 of the file, 64 lowercase hex digits
 * @param sizeBytes file size in bytes, at least 1
 * @param signature base64 of the 64-byte Ed25519 signature over the file's bytes
 * @param keyId     id of the signing key ({@link SigningKeys#keyId})
 */
public record ModelSignature(String sha256, long sizeBytes, String signature, String keyId) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ModelSignature {
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 is " + quoted(sha256) + ", allowed 64 lowercase hex digits");
        }
        if (sizeBytes < 1) {
            throw new IllegalArgumentException("sizeBytes is " + sizeBytes + ", allowed >= 1");
        }
        byte[] sig;
        try {
            sig = signature == null ? null : Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            sig = null;
        }
        if (sig == null || sig.length != 64) {
            throw new IllegalArgumentException("signature is " + quoted(signature)
                    + ", allowed base64 of a 64-byte Ed25519 signature");
        }
        Ids.require("keyId", keyId);
    }

    /** The signature fields of a deploy command. */
    public static ModelSignature of(DeployCommand command) {
        return new ModelSignature(command.sha256(), command.sizeBytes(), command.signature(), command.keyId());
    }

    /** The raw 64 signature bytes. */
    public byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    private static String quoted(String value) {
        if (value == null) {
            return "missing";
        }
        return "\"" + (value.length() <= 40 ? value : value.substring(0, 37) + "...") + "\"";
    }
}

package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.digest.Sha256;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeloop.protocol.id.Ids;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Set;

/**
 * Tells a device (on {@code <prefix>/<device>/deploy}) or the whole fleet (on {@code <prefix>/_fleet/deploy}) which
 * model to run. Retained, so a device that connects later still gets it. The model file comes from {@code url} or
 * inline as base64; a device activates it only if its size and SHA-256 match and the Ed25519 signature over the
 * file's bytes verifies against the public key {@code keyId} names.
 *
 * @param schema    payload version, {@value Payloads#SCHEMA}
 * @param name      model name
 * @param version   model version
 * @param issuedAt  when the command was made; a device ignores a command older than the one it applied last
 * @param url       where to download the model package ({@code https}, {@code http} or {@code file}); {@code null}
 *                  when {@code inline} is given
 * @param inline    the model package itself as base64; {@code null} when {@code url} is given
 * @param sha256    SHA-256 of the model file, 64 lowercase hex digits
 * @param sizeBytes size of the model file
 * @param signature Ed25519 signature over the model file's bytes, base64 (64 bytes)
 * @param keyId     id of the signing key the device should verify with
 * @param shadow    optional: run the model as a shadow beside the active one first ({@link ShadowRequest}); absent,
 *                  the device switches to it as before
 * @param end       optional: end the running shadow of this model early (promote or abort); the rest of the command
 *                  must be the shadow's model (same sha256 and a valid signature); not with {@code shadow}
 * @param rollback  optional, {@code true} or absent: the model may be older (by the {@code created} time in its
 *                  signed model card) than the one the device runs; without it a device refuses such a downgrade.
 *                  {@code false} is read as absent
 */
public record DeployCommand(
        @JsonProperty(required = true) int schema,
        String name,
        String version,
        Instant issuedAt,
        String url,
        String inline,
        String sha256,
        @JsonProperty(required = true) long sizeBytes,
        String signature,
        String keyId,
        ShadowRequest shadow,
        ShadowEnd end,
        Boolean rollback) implements Payload {

    /** Largest model accepted, the protobuf limit of one ONNX file. */
    public static final long MAX_SIZE_BYTES = Integer.MAX_VALUE;
    private static final Set<String> SCHEMES = Set.of("https", "http", "file");

    public DeployCommand {
        Fields.schema(schema);
        Ids.requireModelName("name", name);
        Ids.requireModelName("version", version);
        Fields.instant("issuedAt", issuedAt);
        Fields.sha256("sha256", sha256);
        if (sizeBytes < 1 || sizeBytes > MAX_SIZE_BYTES) {
            throw new IllegalArgumentException("sizeBytes is " + sizeBytes + ", allowed 1.." + MAX_SIZE_BYTES);
        }
        if ((url == null) == (inline == null)) {
            throw new IllegalArgumentException("url and inline are " + (url == null ? "both absent" : "both present")
                    + ", allowed exactly one of them");
        }
        if (url != null) {
            checkUrl(url);
        } else {
            byte[] model = Fields.base64("inline", inline, "standard base64 of the model file");
            if (model.length != sizeBytes) {
                throw new IllegalArgumentException("sizeBytes is " + sizeBytes + ", allowed the size of inline ("
                        + model.length + " bytes)");
            }
            String actual = Sha256.hex(model);
            if (!actual.equals(sha256)) {
                throw new IllegalArgumentException("sha256 is \"" + sha256 + "\", allowed the SHA-256 of inline (\""
                        + actual + "\")");
            }
        }
        byte[] sig = Fields.base64("signature", signature, "base64 of a 64-byte Ed25519 signature");
        if (sig.length != 64) {
            throw new IllegalArgumentException("signature is \"" + Fields.abbreviate(signature) + "\" (" + sig.length
                    + " bytes), allowed base64 of a 64-byte Ed25519 signature");
        }
        Ids.require("keyId", keyId);
        if (shadow != null && end != null) {
            throw new IllegalArgumentException("shadow and end are both present, allowed at most one of them (start a"
                    + " shadow, or end the running one)");
        }
        rollback = Boolean.TRUE.equals(rollback) ? Boolean.TRUE : null;
    }

    /** A plain deploy: switch to the model after the smoke test. */
    public DeployCommand(int schema, String name, String version, Instant issuedAt, String url, String inline,
            String sha256, long sizeBytes, String signature, String keyId) {
        this(schema, name, version, issuedAt, url, inline, sha256, sizeBytes, signature, keyId, null, null, null);
    }

    /** A deploy or shadow deploy with an end, without the rollback flag. */
    public DeployCommand(int schema, String name, String version, Instant issuedAt, String url, String inline,
            String sha256, long sizeBytes, String signature, String keyId, ShadowRequest shadow, ShadowEnd end) {
        this(schema, name, version, issuedAt, url, inline, sha256, sizeBytes, signature, keyId, shadow, end, null);
    }

    /** Whether the command allows a model older than the device's ({@code rollback: true}). */
    public boolean rollsBack() {
        return Boolean.TRUE.equals(rollback);
    }

    /** This command as an explicit rollback: the device accepts the model even if it is older than its own. */
    public DeployCommand asRollback() {
        return new DeployCommand(schema, name, version, issuedAt, url, inline, sha256, sizeBytes, signature, keyId,
                shadow, end, Boolean.TRUE);
    }

    /** This command as a shadow deploy. */
    public DeployCommand withShadow(ShadowRequest request) {
        return new DeployCommand(schema, name, version, issuedAt, url, inline, sha256, sizeBytes, signature, keyId,
                request, null, rollback);
    }

    /** This command, issued at {@code at}, ending the shadow of its model. */
    public DeployCommand ending(ShadowEnd how, Instant at) {
        return new DeployCommand(schema, name, version, at, url, inline, sha256, sizeBytes, signature, keyId, null,
                how);
    }

    private static void checkUrl(String url) {
        String allowed = "an absolute https, http or file URL";
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase())) {
                throw new IllegalArgumentException("url is \"" + url + "\", allowed " + allowed);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is \"" + url + "\" (" + e.getReason() + "), allowed " + allowed, e);
        }
    }
}

package io.edgeloop.protocol.signing;

import io.edgeloop.protocol.digest.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Checks a model file against a {@link ModelSignature}: size, then SHA-256, then the key id, then the Ed25519
 * signature. Cheap checks come first so a truncated or swapped download is named as such rather than as a bad
 * signature.
 */
public final class ModelVerifier {

    private ModelVerifier() {
    }

    /**
     * Verifies a file's bytes with a given public key.
     *
     * @throws VerificationException naming the failed check and the values involved
     */
    public static void verify(byte[] modelBytes, ModelSignature signed, PublicKey key) throws VerificationException {
        Objects.requireNonNull(modelBytes, "modelBytes");
        Objects.requireNonNull(signed, "signed");
        Objects.requireNonNull(key, "key");
        if (modelBytes.length != signed.sizeBytes()) {
            throw new VerificationException(VerificationException.Failure.SIZE_MISMATCH, "size is "
                    + modelBytes.length + " bytes, expected " + signed.sizeBytes() + " (file truncated or replaced)");
        }
        String sha256 = Sha256.hex(modelBytes);
        if (!sha256.equals(signed.sha256())) {
            throw new VerificationException(VerificationException.Failure.HASH_MISMATCH, "sha256 is " + sha256
                    + ", expected " + signed.sha256() + " (file changed after signing)");
        }
        String keyId = SigningKeys.keyId(key);
        if (!keyId.equals(signed.keyId())) {
            throw new VerificationException(VerificationException.Failure.WRONG_KEY, "signature names key "
                    + signed.keyId() + ", but the key given is " + keyId);
        }
        verifySignature(modelBytes, signed.signature(), key);
    }

    /**
     * Checks only the Ed25519 signature over {@code bytes} (no size, hash or key id): for callers that carry the
     * signature alone.
     *
     * @throws VerificationException {@code BAD_SIGNATURE} if it does not verify or is not base64 of 64 bytes
     */
    public static void verifySignature(byte[] bytes, String signatureBase64, PublicKey key)
            throws VerificationException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(key, "key");
        byte[] sig;
        try {
            sig = signatureBase64 == null ? null : java.util.Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            sig = null;
        }
        if (sig == null || sig.length != 64) {
            throw new VerificationException(VerificationException.Failure.BAD_SIGNATURE,
                    "signature is not base64 of a 64-byte Ed25519 signature");
        }
        boolean ok;
        try {
            Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(bytes);
            ok = verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new VerificationException(VerificationException.Failure.BAD_SIGNATURE,
                    "signature does not verify with key " + SigningKeys.keyId(key));
        }
    }

    /**
     * Verifies a file with a given public key.
     *
     * @throws IOException           if the file cannot be read
     * @throws VerificationException naming the failed check
     */
    public static void verify(Path modelFile, ModelSignature signed, PublicKey key)
            throws IOException, VerificationException {
        Objects.requireNonNull(modelFile, "modelFile");
        long size = Files.size(modelFile);
        if (size != signed.sizeBytes()) {
            // Avoid reading a file of the wrong size (possibly huge) into memory.
            throw new VerificationException(VerificationException.Failure.SIZE_MISMATCH, "size is " + size
                    + " bytes, expected " + signed.sizeBytes() + " (file truncated or replaced)");
        }
        verify(Files.readAllBytes(modelFile), signed, key);
    }
}

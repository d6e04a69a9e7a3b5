package io.edgeloop.protocol.signing;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs model files with one Ed25519 private key. The public key and key id are derived from the private key, so a
 * deploy needs only the private key file. Immutable and thread-safe (each call uses its own {@link Signature}).
 */
public final class ModelSigner {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    /** @throws IllegalArgumentException if the key is not Ed25519 */
    public ModelSigner(PrivateKey privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = SigningKeys.publicKeyOf(privateKey);
        this.keyId = SigningKeys.keyId(publicKey);
    }

    /** A signer for the private key in a PKCS#8 PEM file ({@link KeyFiles#readPrivateKey}). */
    public static ModelSigner fromFile(Path privateKeyPem) throws KeyFileException {
        return new ModelSigner(KeyFiles.readPrivateKey(privateKeyPem));
    }

    /** The id of this signer's key, as put in {@link ModelSignature#keyId()}. */
    public String keyId() {
        return keyId;
    }

    /** The public key matching the private key, for the devices' trust stores. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs a file's bytes.
     *
     * @throws IOException if the file cannot be read
     */
    public ModelSignature sign(Path modelFile) throws IOException {
        Objects.requireNonNull(modelFile, "modelFile");
        return sign(Files.readAllBytes(modelFile));
    }

    /** Signs bytes (the whole model file). */
    public ModelSignature sign(byte[] modelBytes) {
        Objects.requireNonNull(modelBytes, "modelBytes");
        if (modelBytes.length == 0) {
            throw new IllegalArgumentException("model is 0 bytes, allowed a non-empty file");
        }
        try {
            Signature signer = Signature.getInstance(SigningKeys.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(modelBytes);
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            return new ModelSignature(Sha256.hex(modelBytes), modelBytes.length, signature, keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "ModelSigner[keyId=" + keyId + "]";
    }
}

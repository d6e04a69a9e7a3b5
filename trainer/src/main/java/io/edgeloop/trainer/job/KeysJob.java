package io.edgeloop.trainer.job;

import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Objects;

/**
 * The Ed25519 keys deploys are signed with: what {@code trainer keys generate / id} run, and what the demo calls to
 * make its deployment key ({@code KeysJob.generate(KeyPairRequest.in(work.resolve("keys")))}, then
 * {@code TrustStore.add(trust, KeyFiles.readPublicKey(keys.publicKey()))} for the device). Key files are never
 * overwritten.
 */
public final class KeysJob {

    private static final String PRIVATE_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PUBLIC_BEGIN = "-----BEGIN PUBLIC KEY-----";

    private KeysJob() {
    }

    /**
     * Writes a new key pair: the private key owner-only, the public key beside it.
     *
     * @throws IllegalArgumentException if either file exists (nothing is written) or the directory is a file
     * @throws IOException              if a file cannot be written (named)
     */
    public static GeneratedKeys generate(KeyPairRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        if (Files.exists(request.dir()) && !Files.isDirectory(request.dir())) {
            throw new IllegalArgumentException("--out " + request.dir() + " is a file, allowed a directory (created"
                    + " if missing)");
        }
        for (Path p : new Path[] {request.privateKeyFile(), request.publicKeyFile()}) {
            if (Files.exists(p)) {
                throw new IllegalArgumentException(p + " already exists; refusing to overwrite a key file");
            }
        }
        KeyPair keys = SigningKeys.generate();
        try {
            KeyFiles.writePrivateKey(request.privateKeyFile(), keys.getPrivate());
            KeyFiles.writePublicKey(request.publicKeyFile(), keys.getPublic());
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new GeneratedKeys(SigningKeys.keyId(keys.getPublic()), request.privateKeyFile(),
                request.publicKeyFile());
    }

    /**
     * The key id of a private (PKCS#8) or public (X.509) Ed25519 PEM key file.
     *
     * @throws IllegalArgumentException naming {@code --key}, the file and what is allowed, if it is missing, not a
     *                                  PEM key file, not Ed25519, or a private key readable by others
     */
    public static String keyId(Path keyFile) throws IOException {
        Objects.requireNonNull(keyFile, "keyFile");
        String allowed = "allowed an Ed25519 private (PKCS#8) or public (X.509) PEM key file";
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalArgumentException("--key " + keyFile + " not found, " + allowed);
        }
        // Lenient decoding: a binary file is reported as not PEM below, not as a charset error.
        String text = new String(Files.readAllBytes(keyFile), StandardCharsets.ISO_8859_1);
        if (!text.contains(PRIVATE_BEGIN) && !text.contains(PUBLIC_BEGIN)) {
            throw new IllegalArgumentException("--key " + keyFile + " is not a PEM key file (no " + PRIVATE_BEGIN
                    + " or " + PUBLIC_BEGIN + " line), " + allowed);
        }
        PublicKey publicKey;
        try {
            publicKey = text.contains(PRIVATE_BEGIN) ? SigningKeys.publicKeyOf(KeyFiles.readPrivateKey(keyFile))
                    : KeyFiles.readPublicKey(keyFile);
        } catch (KeyFileException e) {
            throw new IllegalArgumentException("--key " + e.getMessage(), e);
        }
        return SigningKeys.keyId(publicKey);
    }
}

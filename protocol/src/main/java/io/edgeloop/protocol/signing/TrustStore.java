package io.edgeloop.protocol.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The public keys a device trusts, by key id: a directory of X.509 PEM files ({@code *.pem}; {@link #add} names them
 * {@code <keyId>.pem}). A model is activated only if its signature verifies with the trusted key its command names.
 * Immutable once loaded; reload to pick up a new key.
 */
public final class TrustStore {

    private final String origin;
    private final Map<String, PublicKey> keys;

    private TrustStore(String origin, Map<String, PublicKey> keys) {
        this.origin = origin;
        this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    }

    /**
     * Loads every {@code *.pem} file in {@code dir} (hidden files are skipped) as an Ed25519 public key.
     *
     * @throws KeyFileException if the directory is missing or a file is not an Ed25519 public key PEM (a trust store
     *                          with a broken entry is a configuration error, not something to skip silently)
     */
    public static TrustStore load(Path dir) throws KeyFileException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new KeyFileException(dir.toString(), "trust store directory not found");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".pem")
                    && !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new KeyFileException(dir, "cannot list the trust store (" + e + ")", e);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Path file : files) {
            PublicKey key = KeyFiles.readPublicKey(file);
            keys.put(SigningKeys.keyId(key), key);
        }
        return new TrustStore(dir.toString(), keys);
    }

    /** A trust store of the given keys (tests, embedded use). */
    public static TrustStore of(Collection<PublicKey> publicKeys) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (PublicKey key : publicKeys) {
            keys.put(SigningKeys.keyId(key), key);
        }
        return new TrustStore("in-memory", keys);
    }

    /**
     * Adds a public key to a trust store directory as {@code <keyId>.pem}, creating the directory. Adding a key that
     * is already there is a no-op.
     *
     * @return the key's file
     * @throws KeyFileException if a different file has that name or it cannot be written
     */
    public static Path add(Path dir, PublicKey key) throws KeyFileException {
        String keyId = SigningKeys.keyId(key);
        Path file = dir.resolve(keyId + ".pem");
        if (Files.exists(file)) {
            PublicKey existing = KeyFiles.readPublicKey(file);
            if (!existing.equals(key)) {
                throw new KeyFileException(file.toString(), "holds another key than " + keyId);
            }
            return file;
        }
        KeyFiles.writePublicKey(file, key);
        return file;
    }

    /** The trusted key ids, sorted. */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** The trusted key with this id. */
    public Optional<PublicKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /**
     * Verifies a model file's bytes with the trusted key the signature names.
     *
     * @throws VerificationException {@code UNKNOWN_KEY} if no trusted key has that id, otherwise as
     *                               {@link ModelVerifier#verify(byte[], ModelSignature, PublicKey)}
     */
    public void verify(byte[] modelBytes, ModelSignature signed) throws VerificationException {
        ModelVerifier.verify(modelBytes, signed, trustedKey(signed));
    }

    /** Verifies a model file with the trusted key the signature names. */
    public void verify(Path modelFile, ModelSignature signed) throws IOException, VerificationException {
        ModelVerifier.verify(modelFile, signed, trustedKey(signed));
    }

    private PublicKey trustedKey(ModelSignature signed) throws VerificationException {
        PublicKey key = keys.get(signed.keyId());
        if (key == null) {
            throw new VerificationException(VerificationException.Failure.UNKNOWN_KEY, "key " + signed.keyId()
                    + " is not trusted (trusted keys in " + origin + ": " + keys.keySet() + ")");
        }
        return key;
    }

    @Override
    public String toString() {
        return "TrustStore[" + origin + ", " + keys.keySet() + "]";
    }
}

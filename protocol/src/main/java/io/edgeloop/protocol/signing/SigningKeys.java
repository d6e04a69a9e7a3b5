package io.edgeloop.protocol.signing;

import io.edgeloop.protocol.digest.Sha256;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ed25519 key pairs and key ids. A key id is the first 16 hex digits of the SHA-256 of the public key's X.509
 * (SubjectPublicKeyInfo) encoding: short enough for a command, long enough that two keys never collide in practice,
 * and a valid id ({@code io.edgeloop.protocol.id.Ids#RULE}).
 */
public final class SigningKeys {

    /** The only algorithm edgeloop signs with. */
    public static final String ALGORITHM = "Ed25519";

    /** Length of a key id in hex digits. */
    public static final int KEY_ID_LENGTH = 16;

    private SigningKeys() {
    }

    /** A new key pair from the platform's strong random source. */
    public static KeyPair generate() {
        return generate(new SecureRandom());
    }

    /** A new key pair drawing its 32 private bytes from {@code random} (tests pass a seeded one). */
    public static KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, random);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("Ed25519 is required by every Java 15+ platform", e);
        }
    }

    /** The key id of a public key: first {@value #KEY_ID_LENGTH} hex digits of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return Sha256.hex(key.getEncoded()).substring(0, KEY_ID_LENGTH);
    }

    /**
     * The public key belonging to an Ed25519 private key. PKCS#8 files written by the JDK carry no public key, so it
     * is derived: Ed25519 key generation turns 32 random bytes into the pair, so feeding the private key's bytes to
     * the generator yields the same private key and its public key. The result is checked by a test signature.
     */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (!(privateKey instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException("private key is " + privateKey.getAlgorithm() + ", allowed Ed25519");
        }
        byte[] seed = ed.getBytes().get();
        KeyPair pair = generate(new FixedBytesRandom(seed));
        if (!Arrays.equals(pair.getPrivate().getEncoded(), privateKey.getEncoded())) {
            throw new IllegalStateException("cannot derive the Ed25519 public key on this platform");
        }
        try {
            byte[] probe = "edgeloop key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(pair.getPublic());
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new IllegalStateException("derived Ed25519 public key does not verify the private key's"
                        + " signature");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot check the derived Ed25519 public key", e);
        }
        return pair.getPublic();
    }

    /** Hands out exactly the given bytes (the private key seed) to the key pair generator. */
    private static final class FixedBytesRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytesRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("expected a request for " + bytes.length + " bytes, got "
                        + out.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}

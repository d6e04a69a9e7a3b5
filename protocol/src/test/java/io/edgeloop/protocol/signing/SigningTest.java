package io.edgeloop.protocol.signing;

import io.edgeloop.protocol.digest.Sha256;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTest {

    @TempDir
    Path dir;

    static KeyPair pair(long seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return SigningKeys.generate(random);
    }

    static byte[] model(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void keyFilesRoundTripWithOwnerOnlyPrivateKeyAndNeverOverwrite() throws Exception {
        KeyPair keys = pair(1);
        Path priv = dir.resolve("keys/deploy.pem");
        Path pub = dir.resolve("keys/deploy.pub.pem");
        KeyFiles.writePrivateKey(priv, keys.getPrivate());
        KeyFiles.writePublicKey(pub, keys.getPublic());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertArrayEquals(keys.getPrivate().getEncoded(), KeyFiles.readPrivateKey(priv).getEncoded());
        assertEquals(keys.getPublic(), KeyFiles.readPublicKey(pub));

        byte[] before = Files.readAllBytes(priv);
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> KeyFiles.writePrivateKey(priv, pair(2).getPrivate()));
        assertEquals(priv + ": already exists; refusing to overwrite a key file", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(priv));
    }

    @Test
    void privateKeyReadableByOthersIsRefused() throws Exception {
        Path priv = dir.resolve("open.pem");
        KeyFiles.writePrivateKey(priv, pair(1).getPrivate());
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.readPrivateKey(priv));
        assertEquals(priv + ": private key permissions are rw-r--r--, allowed owner-only (rw------- or r--------;"
                + " chmod 600)", e.getMessage());
    }

    @Test
    void publicKeyGivenAsPrivateIsNamedBeforeItsPermissions() throws Exception {
        // A .pub.pem is world-readable by design: it must be called a public key, not met with chmod advice.
        Path pub = dir.resolve("deploy.pub.pem");
        KeyFiles.writePublicKey(pub, pair(1).getPublic());
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.readPrivateKey(pub));
        assertEquals(pub + ": PEM block is PUBLIC KEY (a public key where a private key belongs), allowed PEM text"
                + " with one -----BEGIN PRIVATE KEY----- block (PKCS#8 private key)", e.getMessage());
    }

    @Test
    void binaryFileIsNotAPemFileRatherThanACharsetError() throws Exception {
        Path binary = dir.resolve("model.onnx.pem");
        Files.write(binary, new byte[] {0x08, (byte) 0xFF, (byte) 0xC3, 0x00, 0x12});
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
        String allowed = " not a PEM file (no -----BEGIN ...----- line), allowed PEM text with one -----BEGIN ";
        assertEquals(binary + ":" + allowed + "PRIVATE KEY----- block (PKCS#8 private key)", assertThrows(
                KeyFileException.class, () -> KeyFiles.readPrivateKey(binary)).getMessage());
        assertEquals(binary + ":" + allowed + "PUBLIC KEY----- block (X.509 SubjectPublicKeyInfo public key)",
                assertThrows(KeyFileException.class, () -> KeyFiles.readPublicKey(binary)).getMessage());
    }

    @Test
    void keyIdIsDerivedFromThePublicKeyAndRecoveredFromThePrivateKey() throws Exception {
        KeyPair keys = pair(3);
        String id = SigningKeys.keyId(keys.getPublic());
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        assertEquals(keys.getPublic(), SigningKeys.publicKeyOf(keys.getPrivate()));
        ModelSigner signer = new ModelSigner(keys.getPrivate());
        assertEquals(id, signer.keyId());
        assertTrue(!id.equals(SigningKeys.keyId(pair(4).getPublic())));
    }

    @Test
    void signatureVerifiesAndEachTamperingIsNamed() throws Exception {
        KeyPair keys = pair(5);
        ModelSigner signer = new ModelSigner(keys.getPrivate());
        byte[] bytes = model(5000, 9);
        Path file = dir.resolve("model.onnx");
        Files.write(file, bytes);
        ModelSignature signed = signer.sign(file);
        assertEquals(5000, signed.sizeBytes());
        assertEquals(64, signed.signatureBytes().length);
        ModelVerifier.verify(file, signed, keys.getPublic());
        ModelVerifier.verify(bytes, signed, keys.getPublic());

        byte[] tampered = bytes.clone();
        tampered[1234] ^= 1;
        VerificationException hash = assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(tampered, signed, keys.getPublic()));
        assertEquals(VerificationException.Failure.HASH_MISMATCH, hash.failure());
        assertEquals("sha256 is " + Sha256.hex(tampered) + ", expected " + signed.sha256()
                + " (file changed after signing)", hash.getMessage());

        Files.write(file, java.util.Arrays.copyOf(bytes, 4000));
        VerificationException size = assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(file, signed, keys.getPublic()));
        assertEquals(VerificationException.Failure.SIZE_MISMATCH, size.failure());
        assertEquals("size is 4000 bytes, expected 5000 (file truncated or replaced)", size.getMessage());

        KeyPair other = pair(6);
        VerificationException wrong = assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(bytes, signed, other.getPublic()));
        assertEquals(VerificationException.Failure.WRONG_KEY, wrong.failure());
        assertEquals("signature names key " + signer.keyId() + ", but the key given is "
                + SigningKeys.keyId(other.getPublic()), wrong.getMessage());

        // Right hash and key id, but a signature made over other bytes.
        String foreign = signer.sign(model(5000, 10)).signature();
        ModelSignature forged = new ModelSignature(signed.sha256(), signed.sizeBytes(), foreign, signed.keyId());
        VerificationException bad = assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(bytes, forged, keys.getPublic()));
        assertEquals(VerificationException.Failure.BAD_SIGNATURE, bad.failure());
        assertEquals("signature does not verify with key " + signer.keyId(), bad.getMessage());

        // The signature alone, as base64.
        ModelVerifier.verifySignature(bytes, signed.signature(), keys.getPublic());
        assertEquals("signature does not verify with key " + signer.keyId(), assertThrows(VerificationException.class,
                () -> ModelVerifier.verifySignature(tampered, signed.signature(), keys.getPublic())).getMessage());
        assertEquals("signature is not base64 of a 64-byte Ed25519 signature", assertThrows(
                VerificationException.class, () -> ModelVerifier.verifySignature(bytes, "AAAA", keys.getPublic()))
                .getMessage());

        // A key pretending to have the signer's id (file named after it) still fails on the signature.
        ModelSignature otherSigned = new ModelSigner(other.getPrivate()).sign(bytes);
        ModelSignature relabelled = new ModelSignature(otherSigned.sha256(), otherSigned.sizeBytes(),
                otherSigned.signature(), signer.keyId());
        assertEquals(VerificationException.Failure.BAD_SIGNATURE, assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(bytes, relabelled, keys.getPublic())).failure());
    }

    @Test
    void trustStoreVerifiesWithTheNamedKeyAndNamesUnknownOnes() throws Exception {
        KeyPair a = pair(7);
        KeyPair b = pair(8);
        Path trust = dir.resolve("trusted");
        Path fileA = TrustStore.add(trust, a.getPublic());
        assertEquals(SigningKeys.keyId(a.getPublic()) + ".pem", fileA.getFileName().toString());
        assertEquals(fileA, TrustStore.add(trust, a.getPublic()));
        TrustStore store = TrustStore.load(trust);
        assertEquals(List.of(SigningKeys.keyId(a.getPublic())), store.keyIds());

        byte[] bytes = model(300, 1);
        store.verify(bytes, new ModelSigner(a.getPrivate()).sign(bytes));
        ModelSignature byB = new ModelSigner(b.getPrivate()).sign(bytes);
        VerificationException unknown = assertThrows(VerificationException.class, () -> store.verify(bytes, byB));
        assertEquals(VerificationException.Failure.UNKNOWN_KEY, unknown.failure());
        assertEquals("key " + byB.keyId() + " is not trusted (trusted keys in " + trust + ": ["
                + SigningKeys.keyId(a.getPublic()) + "])", unknown.getMessage());

        Files.writeString(trust.resolve("broken.pem"), "hello");
        KeyFileException broken = assertThrows(KeyFileException.class, () -> TrustStore.load(trust));
        assertEquals(trust.resolve("broken.pem") + ": not a PEM file (no -----BEGIN ...----- line), allowed PEM"
                + " text with one -----BEGIN PUBLIC KEY----- block (X.509 SubjectPublicKeyInfo public key)",
                broken.getMessage());
    }

    @Test
    void malformedPemIsExplained() throws Exception {
        KeyPair keys = pair(11);
        String pub = KeyFiles.pem(KeyFiles.PUBLIC_TYPE, keys.getPublic().getEncoded());
        String allowedPrivate = "allowed PEM text with one -----BEGIN PRIVATE KEY----- block (PKCS#8 private key)";

        assertEquals("k.pem: PEM block is PUBLIC KEY (a public key where a private key belongs), " + allowedPrivate,
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(pub, "k.pem")).getMessage());
        assertEquals("k.pem: PEM block is RSA PRIVATE KEY, " + allowedPrivate,
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(
                        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "k.pem"))
                        .getMessage());
        assertEquals("k.pem: PEM block PRIVATE KEY has no -----END PRIVATE KEY----- line, " + allowedPrivate,
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(
                        "-----BEGIN PRIVATE KEY-----\nAAAA\n", "k.pem")).getMessage());
        KeyFileException notBase64 = assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "k.pem"));
        assertTrue(notBase64.getMessage().startsWith("k.pem: PEM body is not base64 ("), notBase64.getMessage());
        assertEquals("k.pem: PEM body is not a valid PKCS#8 private key, allowed an Ed25519 key",
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(KeyFiles.pem(
                        KeyFiles.PRIVATE_TYPE, "not a key".getBytes(StandardCharsets.US_ASCII)), "k.pem"))
                        .getMessage());

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256, new SecureRandom(new byte[] {1}));
        KeyPair ecKeys = ec.generateKeyPair();
        assertEquals("k.pem: holds a EC key, allowed an Ed25519 key",
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePublicKey(
                        KeyFiles.pem(KeyFiles.PUBLIC_TYPE, ecKeys.getPublic().getEncoded()), "k.pem")).getMessage());
        assertEquals("k.pem: holds a EC key, allowed an Ed25519 key",
                assertThrows(KeyFileException.class, () -> KeyFiles.parsePrivateKey(
                        KeyFiles.pem(KeyFiles.PRIVATE_TYPE, ecKeys.getPrivate().getEncoded()), "k.pem"))
                        .getMessage());
        assertEquals(Path.of("missing.pem") + ": key file not found",
                assertThrows(KeyFileException.class, () -> KeyFiles.readPublicKey(Path.of("missing.pem")))
                        .getMessage());
    }

    @Test
    void signatureFieldsAreValidated() {
        String sha = "a".repeat(64);
        String sig = Base64.getEncoder().encodeToString(new byte[64]);
        assertEquals("signature is \"AAAA\", allowed base64 of a 64-byte Ed25519 signature",
                assertThrows(IllegalArgumentException.class, () -> new ModelSignature(sha, 1, "AAAA", "k1"))
                        .getMessage());
        assertEquals("sha256 is \"ABC\", allowed 64 lowercase hex digits",
                assertThrows(IllegalArgumentException.class, () -> new ModelSignature("ABC", 1, sig, "k1"))
                        .getMessage());
        assertEquals("sizeBytes is 0, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> new ModelSignature(sha, 0, sig, "k1"))
                        .getMessage());
    }
}

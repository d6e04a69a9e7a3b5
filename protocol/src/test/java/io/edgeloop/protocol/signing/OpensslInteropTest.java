package io.edgeloop.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys made by OpenSSL are read, and keys we write are read by OpenSSL: the PEM formats are the standard ones. */
class OpensslInteropTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    @Test
    void opensslKeysAndSignaturesInteroperate() throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl not installed at " + OPENSSL);
        Path priv = dir.resolve("ossl.pem");
        Path pub = dir.resolve("ossl.pub.pem");
        run("genpkey", "-algorithm", "ed25519", "-out", priv.toString());
        Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        run("pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        PrivateKey privateKey = KeyFiles.readPrivateKey(priv);
        PublicKey publicKey = KeyFiles.readPublicKey(pub);
        assertEquals(publicKey, SigningKeys.publicKeyOf(privateKey));

        Path model = dir.resolve("model.onnx");
        Files.write(model, SigningTest.model(2048, 3));
        ModelSignature signed = new ModelSigner(privateKey).sign(model);
        ModelVerifier.verify(model, signed, publicKey);

        // OpenSSL verifies our signature with our public key file.
        Path ourPub = dir.resolve("ours.pub.pem");
        KeyFiles.writePublicKey(ourPub, publicKey);
        Path sig = dir.resolve("model.sig");
        Files.write(sig, signed.signatureBytes());
        run("pkeyutl", "-verify", "-pubin", "-inkey", ourPub.toString(), "-rawin", "-in", model.toString(),
                "-sigfile", sig.toString());
    }

    private void run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = OPENSSL.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("openssl.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

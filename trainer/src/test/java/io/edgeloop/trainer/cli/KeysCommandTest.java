package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.SigningKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @TempDir
    Path dir;

    private String lastOut;
    private String lastErr;

    private int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CommandLines.execute(new KeysCommand(), new PrintWriter(out), new PrintWriter(err), args);
        lastOut = out.toString();
        lastErr = err.toString();
        return code;
    }

    @Test
    void generateWritesAPairOnceAndIdPrintsItsKeyId() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, run("generate", "--out", keys.toString()));
        Path priv = keys.resolve("deploy.pem");
        Path pub = keys.resolve("deploy.pub.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        String keyId = SigningKeys.keyId(KeyFiles.readPublicKey(pub));
        assertTrue(lastOut.startsWith("Key id " + keyId + "\n"), lastOut);
        assertEquals(keyId, SigningKeys.keyId(SigningKeys.publicKeyOf(KeyFiles.readPrivateKey(priv))));

        byte[] before = Files.readAllBytes(priv);
        assertEquals(2, run("generate", "--out", keys.toString()));
        assertEquals("trainer keys generate: " + priv + " already exists; refusing to overwrite a key file\n",
                lastErr);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(priv)));

        assertEquals(0, run("id", "--key", priv.toString()));
        assertEquals(keyId + "\n", lastOut);
        assertEquals(0, run("id", "--key", pub.toString()));
        assertEquals(keyId + "\n", lastOut);

        assertEquals(2, run("generate", "--out", keys.toString(), "--name", "../x"));
        assertEquals("trainer keys generate: --name is \"../x\", allowed 1-64 letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit\n", lastErr);
        assertEquals(2, run());
        assertEquals("trainer keys: missing subcommand, allowed generate or id\n", lastErr);
    }

    @Test
    void badKeyFilesNameTheOptionTheFileAndWhatIsAllowed() throws Exception {
        String allowed = ", allowed an Ed25519 private (PKCS#8) or public (X.509) PEM key file\n";
        Path none = dir.resolve("none.pem");
        assertEquals(2, trainer("keys", "id", "--key", none.toString()));
        assertEquals("trainer keys id: --key " + none + " not found" + allowed, lastErr);

        Path binary = Files.write(dir.resolve("model.onnx"), new byte[] {0x08, (byte) 0xFF, (byte) 0xC3, 0x00});
        assertEquals(2, trainer("keys", "id", "--key", binary.toString()));
        assertEquals("trainer keys id: --key " + binary + " is not a PEM key file (no -----BEGIN PRIVATE KEY----- or"
                + " -----BEGIN PUBLIC KEY----- line)" + allowed, lastErr);

        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN PUBLIC KEY-----\nnot base64!\n"
                + "-----END PUBLIC KEY-----\n");
        assertEquals(2, trainer("keys", "id", "--key", cert.toString()));
        assertTrue(lastErr.startsWith("trainer keys id: --key " + cert + ": PEM body is not base64 ("), lastErr);

        Path file = Files.writeString(dir.resolve("keys"), "");
        assertEquals(2, trainer("keys", "generate", "--out", file.toString()));
        assertEquals("trainer keys generate: --out " + file + " is a file, allowed a directory (created if"
                + " missing)\n", lastErr);
    }

    private int trainer(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(out), new PrintWriter(err),
                io.edgeloop.trainer.job.TrainerServices.defaults());
        lastOut = out.toString();
        lastErr = err.toString();
        return code;
    }
}

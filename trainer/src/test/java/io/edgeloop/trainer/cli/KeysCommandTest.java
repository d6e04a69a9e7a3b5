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
}

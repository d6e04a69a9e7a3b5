package io.edgeloop.protocol.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    /** FIPS 180-2 test vector "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesBytesFilesAndDigestsAlike(@TempDir Path dir) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ABC, Sha256.hex(abc));
        Path file = Files.write(dir.resolve("abc.bin"), abc);
        assertEquals(ABC, Sha256.hex(file));
        MessageDigest parts = Sha256.newDigest();
        parts.update((byte) 'a');
        parts.update("bc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ABC, Sha256.hex(parts));
    }

    @Test
    void streamsFilesLargerThanItsBuffer(@TempDir Path dir) throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertEquals(Sha256.hex(big), Sha256.hex(Files.write(dir.resolve("big.bin"), big)));
    }
}

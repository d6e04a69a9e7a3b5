package io.edgeloop.protocol.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as 64 lowercase hex digits, the form every {@code sha256} field of the model card, the MQTT payloads
 * and the signed deployments takes. The one implementation in the project: model files, images, keys and
 * dataset fingerprints are all hashed here.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** The hash of {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(newDigest().digest(bytes));
    }

    /** The hash of a file's bytes, read as a stream (a model file need not fit in memory twice). */
    public static String hex(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HEX.formatHex(digest.digest());
    }

    /** A fresh SHA-256 digest, for hashes built up from several parts. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** {@code digest}'s result as hex digits (for hashes built with {@link #newDigest()}). */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }
}

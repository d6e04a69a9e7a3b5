package io.edgeloop.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The training data's identity for the model card: SHA-256 over, for every sample sorted by (part, relative
 * path), the line {@code part '\t' relativePath '\t' label '\t' sha256(file) '\n'}. Renaming, relabelling or
 * editing any image changes it; the folder's location on disk does not.
 */
public final class DatasetFingerprint {

    private DatasetFingerprint() {
    }

    /** A sample with the dataset part it belongs to ("train", "val"). */
    public record Entry(String part, ImageSample sample, String label) {
    }

    /** Hex SHA-256 fingerprint of the entries. */
    public static String of(List<Entry> entries) throws IOException {
        MessageDigest total = sha256();
        List<Entry> sorted = entries.stream()
                .sorted(Comparator.comparing(Entry::part).thenComparing(e -> e.sample().relativePath()))
                .toList();
        for (Entry e : sorted) {
            String line = e.part() + '\t' + e.sample().relativePath() + '\t' + e.label() + '\t'
                    + fileHash(e.sample()) + '\n';
            total.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(total.digest());
    }

    private static String fileHash(ImageSample sample) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(sample.file())) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

package io.edgeloop.trainer.data;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
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
        MessageDigest total = Sha256.newDigest();
        List<Entry> sorted = entries.stream()
                .sorted(Comparator.comparing(Entry::part).thenComparing(e -> e.sample().relativePath()))
                .toList();
        for (Entry e : sorted) {
            String line = e.part() + '\t' + e.sample().relativePath() + '\t' + e.label() + '\t'
                    + fileHash(e.sample()) + '\n';
            total.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(total);
    }

    private static String fileHash(ImageSample sample) throws IOException {
        return Sha256.hex(sample.file());
    }
}

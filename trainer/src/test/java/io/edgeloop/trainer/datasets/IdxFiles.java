package io.edgeloop.trainer.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files for tests, and a synthetic Fashion-MNIST directory. */
public final class IdxFiles {

    private IdxFiles() {
    }

    /** The bytes of an IDX file with the given magic, dimensions and payload (no validation: tests break it). */
    public static byte[] bytes(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(payload);
        }
        return buffer.toByteArray();
    }

    public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    /** Pixel value of pixel {@code p} of synthetic image {@code i}: distinct per image, deterministic. */
    public static byte pixel(int i, int p) {
        return (byte) ((i * 7 + p * 3) & 0xff);
    }

    /**
     * Writes a synthetic split into {@code dir}: {@code n} 28×28 images with labels from {@code labelOf}
     * ({@code labelOf[i % labelOf.length]}), gzip'd.
     */
    public static void writeSplit(Path dir, FashionMnistSplit split, int n, int[] labelOf) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 28 * 28 + p] = pixel(i, p);
            }
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) labelOf[i % labelOf.length];
        }
        write(dir.resolve(split.imagesFileName() + ".gz"), bytes(0x803, new int[] {n, 28, 28}, pixels), true);
        write(dir.resolve(split.labelsFileName() + ".gz"), bytes(0x801, new int[] {n}, labels), true);
    }
}

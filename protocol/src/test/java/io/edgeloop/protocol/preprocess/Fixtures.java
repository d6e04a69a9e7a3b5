package io.edgeloop.protocol.preprocess;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Loads the fixtures {@code protocol/src/test/python/make_reference.py} writes under {@code /images/}. */
final class Fixtures {

    private Fixtures() {
    }

    /** A torchvision reference crop: {@code channels × height × width} 8-bit values, CHW. */
    record Reference(int channels, int height, int width, byte[] chw) {

        /** The normalised tensor torchvision produced: {@code (u8 / 255 - mean) / std} in float32. */
        float[] normalised(PreprocessSpec spec) {
            float[] out = new float[chw.length];
            int plane = height * width;
            for (int i = 0; i < out.length; i++) {
                int c = i / plane;
                float mean = spec.mean().get(c).floatValue();
                float std = spec.std().get(c).floatValue();
                out[i] = ((chw[i] & 0xFF) / 255.0f - mean) / std;
            }
            return out;
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /images/" + name
                        + "; run protocol/src/test/python/make_reference.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gunzip(String name) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes(name)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    static Reference reference(String name) {
        byte[] raw = gunzip(name);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(raw))) {
            byte[] magic = new byte[8];
            in.readFully(magic);
            if (!"EDGEREF1".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException(name + ": not a reference file (magic "
                        + new String(magic, StandardCharsets.US_ASCII) + ")");
            }
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            byte[] chw = new byte[c * h * w];
            in.readFully(chw);
            return new Reference(c, h, w, chw);
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }
}

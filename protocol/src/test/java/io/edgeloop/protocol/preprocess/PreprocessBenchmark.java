package io.edgeloop.protocol.preprocess;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import javax.imageio.ImageIO;

/**
 * Microbenchmark (not a test): milliseconds per 640×480 JPEG for decode, for preprocess to 224×224 (ImageNet
 * spec), and for both, single-threaded, after warm-up. Run from the worktree root after
 * {@code ./mvnw -q -pl protocol test-compile}:
 *
 * <pre>
 * ./mvnw -q -o -pl protocol dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp protocol/target/classes:protocol/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.edgeloop.protocol.preprocess.PreprocessBenchmark [iterations]
 * </pre>
 */
public final class PreprocessBenchmark {

    private static final int ROUNDS = 5;

    private PreprocessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        byte[] jpeg = camera640x480();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.IMAGENET_224);
        FloatBuffer out = ByteBuffer.allocateDirect(4 * PreprocessSpec.IMAGENET_224.tensorLength())
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        BufferedImage decoded = decoder.decode(jpeg, "bench");
        byte[] rgb = new byte[640 * 480 * 3];
        for (int y = 0, p = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++, p += 3) {
                int v = decoded.getRGB(x, y);
                rgb[p] = (byte) (v >> 16);
                rgb[p + 1] = (byte) (v >> 8);
                rgb[p + 2] = (byte) v;
            }
        }
        System.out.printf("640x480 JPEG, %d bytes, to 3x224x224; %d rounds of %d iterations after a warm-up round, "
                + "1 thread; median and best round%n", jpeg.length, ROUNDS, iterations);
        String[] names = {"decode", "preprocess (image)", "preprocessRgb (raw frame)", "decode + preprocess"};
        double[][] perRound = new double[names.length][ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long[] t = new long[names.length + 1];
            t[0] = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                decoder.decode(jpeg, "bench");
            }
            t[1] = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocess(decoded, out);
            }
            t[2] = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocessRgb(rgb, 640, 480, out);
            }
            t[3] = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocess(decoder.decode(jpeg, "bench"), out);
            }
            t[4] = System.nanoTime();
            for (int k = 0; round >= 0 && k < names.length; k++) {
                perRound[k][round] = ms(t[k + 1] - t[k], iterations);
            }
        }
        for (int k = 0; k < names.length; k++) {
            double[] sorted = perRound[k].clone();
            java.util.Arrays.sort(sorted);
            System.out.printf("%-26s median %6.2f ms   best %6.2f ms%n", names[k], sorted[ROUNDS / 2], sorted[0]);
        }
    }

    private static double ms(long nanos, int iterations) {
        return nanos / 1e6 / iterations;
    }

    /** A 640×480 camera-like JPEG (quality 90) made from the rocket photo fixture. */
    private static byte[] camera640x480() throws IOException, ImageRejectedException {
        BufferedImage photo = new ImageDecoder(DecodeLimits.DEFAULT).decode(Fixtures.bytes("rocket.jpg"), "rocket");
        BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        var g = frame.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(photo, 0, 0, 640, 480, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(frame, "jpeg", bytes)) {
            throw new IllegalStateException("no JPEG writer");
        }
        return bytes.toByteArray();
    }
}

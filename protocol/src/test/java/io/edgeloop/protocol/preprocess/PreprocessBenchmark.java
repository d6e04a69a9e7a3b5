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

    private PreprocessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
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
        System.out.printf("640x480 JPEG, %d bytes, %d iterations after %d warm-up, 1 thread%n", jpeg.length,
                iterations, iterations);
        for (int round = 0; round < 2; round++) {
            boolean report = round == 1;
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                decoder.decode(jpeg, "bench");
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocess(decoded, out);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocessRgb(rgb, 640, 480, out);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.clear();
                preprocessor.preprocess(decoder.decode(jpeg, "bench"), out);
            }
            long t4 = System.nanoTime();
            if (report) {
                System.out.printf("decode                    %6.2f ms%n", ms(t1 - t0, iterations));
                System.out.printf("preprocess (image)        %6.2f ms%n", ms(t2 - t1, iterations));
                System.out.printf("preprocessRgb (raw frame) %6.2f ms%n", ms(t3 - t2, iterations));
                System.out.printf("decode + preprocess       %6.2f ms%n", ms(t4 - t3, iterations));
            }
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

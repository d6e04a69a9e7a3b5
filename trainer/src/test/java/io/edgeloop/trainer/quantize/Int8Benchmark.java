package io.edgeloop.trainer.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * int8 vs fp32 on one ORT thread, measured in the same run (a harness, not a timed test: it prints figures and
 * asserts nothing about speed). Per round, the two packages run {@code bench.runs} times each, interleaved run by
 * run (so both see the same load on a shared machine), on a pre-made tensor (raw {@code OrtSession.run}), then as
 * frames from a 640×480 JPEG (decode, preprocess, run, as the agent does); the ratio of each round's medians is
 * reported, with the median over rounds. Then both packages classify the held-out images for top-1 and agreement.
 *
 * <pre>
 * ./mvnw -o -B -q test -pl trainer -am -Dtest=Int8Benchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.fp32=FP32.onnx -Dbench.int8=INT8.onnx \
 *     -Dbench.images=data/fashion-mnist-target/test [-Dbench.rounds=5 -Dbench.runs=100]
 * </pre>
 *
 * Without properties it measures the committed 28×28 fixture pair (fp32 fixture, and its int8 made on the fly).
 */
@Tag("benchmark")
class Int8Benchmark {

    @Test
    void int8VersusFp32() throws Exception {
        Path fp32File = Path.of(System.getProperty("bench.fp32", QuantizeFixtures.FP32.toString()));
        String int8Property = System.getProperty("bench.int8");
        Path images = Path.of(System.getProperty("bench.images", QuantizeFixtures.TEST.toString()));
        int rounds = Integer.getInteger("bench.rounds", 5);
        int runs = Integer.getInteger("bench.runs", 100);
        int heldOut = Integer.getInteger("bench.heldOut", 400);
        ModelPackage fp32 = ModelPackage.read(fp32File);
        Path int8File;
        if (int8Property == null) {
            int8File = Files.createTempDirectory("int8-bench").resolve("int8");
            new io.edgeloop.trainer.job.QuantizeJob().run(io.edgeloop.trainer.job.QuantizeRequest.of(fp32File,
                    QuantizeFixtures.TRAIN, int8File).withValidation(images)
                    .withMethod(RangeMethod.MINMAX));
            int8File = int8File.resolve("model.onnx");
        } else {
            int8File = Path.of(int8Property);
        }
        ModelPackage int8 = ModelPackage.read(int8File);
        ModelCard card = fp32.card();
        String load = loadAverage();
        System.out.printf(Locale.ROOT, "int8 benchmark: %s vs %s, %dx%d, %d rounds x %d runs, 1 ORT thread,"
                        + " %d cores, load average at start %s%n", fp32File, int8File, card.preprocessing().cropSize(),
                card.preprocessing().cropSize(), rounds, runs, Runtime.getRuntime().availableProcessors(), load);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] frame = jpeg640x480();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        ImagePreprocessor pre = new ImagePreprocessor(card.preprocessing());
        int side = card.preprocessing().cropSize();
        FloatBuffer input = ByteBuffer.allocateDirect(3 * side * side * 4).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        pre.preprocess(decoder.decode(frame, "frame"), input);
        input.rewind();
        List<Double> rawRatios = new ArrayList<>();
        List<Double> frameRatios = new ArrayList<>();
        List<Double> raw32 = new ArrayList<>();
        List<Double> raw8 = new ArrayList<>();
        List<Double> frame32 = new ArrayList<>();
        List<Double> frame8 = new ArrayList<>();
        try (OrtSession.SessionOptions options = options();
             OrtSession s32 = env.createSession(fp32.model().toByteArray(), options);
             OrtSession s8 = env.createSession(int8.model().toByteArray(), options);
             OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, 3, side, side})) {
            String in = card.input().name();
            for (int w = 0; w < 30; w++) {
                s32.run(Map.of(in, tensor)).close();
                s8.run(Map.of(in, tensor)).close();
            }
            for (int r = 0; r < rounds; r++) {
                // fp32 and int8 interleaved run by run (the order flipping every run), so both see the same load
                Step raw32Step = () -> s32.run(Map.of(in, tensor)).close();
                Step raw8Step = () -> s8.run(Map.of(in, tensor)).close();
                double[] raw = interleavedMedians(runs, raw32Step, raw8Step);
                double[] full = interleavedMedians(runs, frameStep(env, s32, in, decoder, pre, frame, input, side),
                        frameStep(env, s8, in, decoder, pre, frame, input, side));
                double a32 = raw[0];
                double a8 = raw[1];
                double f32 = full[0];
                double f8 = full[1];
                raw32.add(a32);
                raw8.add(a8);
                frame32.add(f32);
                frame8.add(f8);
                rawRatios.add(a32 / a8);
                frameRatios.add(f32 / f8);
                System.out.printf(Locale.ROOT, "round %d: raw run fp32 %.2f ms, int8 %.2f ms (%.2fx); frame (decode"
                        + " + preprocess + run) fp32 %.2f ms, int8 %.2f ms (%.2fx)%n", r + 1, a32, a8, a32 / a8, f32,
                        f8, f32 / f8);
            }
            System.out.printf(Locale.ROOT, "int8 / fp32 speed, raw ORT run: %.2fx (median of the rounds' ratios,"
                            + " range %.2f-%.2f; medians %.2f vs %.2f ms, %.1f vs %.1f runs/s)%n", median(rawRatios),
                    min(rawRatios), max(rawRatios), median(raw32), median(raw8), 1000 / median(raw32),
                    1000 / median(raw8));
            System.out.printf(Locale.ROOT, "int8 / fp32 speed, frame with decode: %.2fx (range %.2f-%.2f; medians"
                            + " %.2f vs %.2f ms, %.1f vs %.1f frames/s)%n", median(frameRatios), min(frameRatios),
                    max(frameRatios), median(frame32), median(frame8), 1000 / median(frame32), 1000 / median(frame8));
            QuantizeFixtures.Images held = QuantizeFixtures.images(images, card.labels(), card.preprocessing(),
                    heldOut);
            int k = card.labels().size();
            int[] t32 = top1(s32, env, in, card.output().name(), held, k);
            int[] t8 = top1(s8, env, in, card.output().name(), held, k);
            int c32 = 0;
            int c8 = 0;
            int same = 0;
            for (int i = 0; i < held.count(); i++) {
                c32 += t32[i] == held.labels()[i] ? 1 : 0;
                c8 += t8[i] == held.labels()[i] ? 1 : 0;
                same += t32[i] == t8[i] ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "held-out top-1 on %d images of %s: fp32 %.2f %%, int8 %.2f %%, drop %.2f"
                            + " points, agreement %.1f %%%n", held.count(), images, 100.0 * c32 / held.count(),
                    100.0 * c8 / held.count(), 100.0 * (c32 - c8) / held.count(), 100.0 * same / held.count());
            System.out.println("load average at the end " + loadAverage());
            assertTrue(held.count() > 0);
        }
    }

    private static OrtSession.SessionOptions options() throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return o;
    }

    private static int[] top1(OrtSession s, OrtEnvironment env, String in, String out, QuantizeFixtures.Images held,
                              int k) throws Exception {
        int plane = 3 * held.side() * held.side();
        int[] top = new int[held.count()];
        for (int i = 0; i < held.count(); i++) {
            FloatBuffer one = FloatBuffer.wrap(held.pixels(), i * plane, plane).slice();
            try (OnnxTensor t = OnnxTensor.createTensor(env, one, new long[] {1, 3, held.side(), held.side()});
                 OrtSession.Result r = s.run(Map.of(in, t))) {
                float[] scores = new float[k];
                ((OnnxTensor) r.get(out).orElseThrow()).getFloatBuffer().get(scores);
                top[i] = QuantizeFixtures.top1(scores, k)[0];
            }
        }
        return top;
    }

    interface Step {
        void run() throws Exception;
    }

    /** Median milliseconds of {@code a} and of {@code b}, run alternately {@code n} times each. */
    private static double[] interleavedMedians(int n, Step a, Step b) throws Exception {
        double[] ma = new double[n];
        double[] mb = new double[n];
        for (int i = 0; i < n; i++) {
            boolean aFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean isA = (k == 0) == aFirst;
                long t0 = System.nanoTime();
                (isA ? a : b).run();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (isA) {
                    ma[i] = ms;
                } else {
                    mb[i] = ms;
                }
            }
        }
        Arrays.sort(ma);
        Arrays.sort(mb);
        return new double[] {ma[n / 2], mb[n / 2]};
    }

    /** Decode the JPEG, preprocess into the reused buffer, run: the agent's frame path. */
    private static Step frameStep(OrtEnvironment env, OrtSession s, String in, ImageDecoder decoder,
                                  ImagePreprocessor pre, byte[] frame, FloatBuffer input, int side) {
        return () -> {
            input.clear();
            pre.preprocess(decoder.decode(frame, "frame"), input);
            input.rewind();
            try (OnnxTensor t = OnnxTensor.createTensor(env, input, new long[] {1, 3, side, side})) {
                s.run(Map.of(in, t)).close();
            }
        };
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A camera-like 640×480 JPEG: a gradient with a few shapes and noise, fixed seed. */
    private static byte[] jpeg640x480() throws Exception {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = (x * 255 / 640 + random.nextInt(32)) & 0xff;
                image.setRGB(x, y, (v << 16) | ((y * 255 / 480) << 8) | (255 - v));
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillOval(200, 120, 240, 240);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}

package io.edgeloop.agent.deploy;

import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark harness (not a timed test): the active path of one camera (JPEG decode, preprocess, ONNX Runtime,
 * postprocess, hand-off to the shadow tap) timed per frame without a shadow, with a shadow of the same model on every
 * frame (rate 1), and without again, in the same run, paced at {@code bench.fps} frames/s as a camera delivers them
 * (0 = as fast as possible). Prints median and p95 latency per phase and the ratios.
 *
 * <pre>
 * ./mvnw -B -pl edge-agent -am test -Dtest=ShadowBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.frames=400 -Dbench.fps=25
 * </pre>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
public final class ShadowBenchmark {

    private ShadowBenchmark() {
    }

    @Tag("benchmark")
    @Test
    void benchmark() throws Exception {
        main(new String[] {System.getProperty("bench.frames", "400"), System.getProperty("bench.fps", "25")});
    }

    public static void main(String[] args) throws Exception {
        int frames = Integer.parseInt(args[0]);
        int fps = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("edgeloop-shadow-bench");
        Path file = DeployFixtures.colourPackage(work.resolve("colour.onnx"), "1",
                io.edgeloop.agent.testing.ColourModel.LABELS);
        ModelSpec spec = DeployService.spec(file, DeployFixtures.command(file, "colour", "1", DeployFixtures.keys(1),
                java.time.Instant.now(), null), 1 << 20);
        List<byte[]> jpegs = jpegs(30, new Random(42));
        SessionSettings session = new SessionSettings(1, Optimization.values()[0], false);
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        try (ModelRuntime active = ModelRuntime.open(spec, session);
                ModelRuntime candidate = ModelRuntime.open(spec, session);
                InferenceContext context = active.newContext()) {
            Postprocessor post = new Postprocessor(spec.labels(), OutputKind.LOGITS, 1, 3, 0, Map.of());
            ImagePreprocessor pre = new ImagePreprocessor(spec.preprocess());
            run(frames / 4, fps, jpegs, decoder, pre, context, post, ShadowTap.NONE); // warm-up
            double[] without = run(frames, fps, jpegs, decoder, pre, context, post, ShadowTap.NONE);
            ShadowSession shadow = ShadowSession.start(new ShadowRequest(1.0, 3600, null, null, 1, 3600), candidate,
                    spec.labels(), new ImageDecoder(DecodeLimits.DEFAULT), new ShadowSession.Listener() {
                        @Override
                        public void report(ShadowSession s, ShadowReport report) {
                        }

                        @Override
                        public void done(ShadowSession s) {
                        }
                    });
            double[] with;
            ShadowReport report;
            try {
                with = run(frames, fps, jpegs, decoder, pre, context, post, shadow);
            } finally {
                shadow.close();
                report = shadow.report();
            }
            double[] again = run(frames, fps, jpegs, decoder, pre, context, post, ShadowTap.NONE);
            System.out.printf(Locale.ROOT, "shadow benchmark: %d frames per phase of 640x480 JPEG at %s, %d cores%n",
                    frames, fps == 0 ? "full speed" : fps + " fps", Runtime.getRuntime().availableProcessors());
            System.out.println("| phase | median ms | p95 ms |");
            System.out.println("|---|---|---|");
            print("no shadow", without);
            print("shadow on every frame", with);
            print("no shadow again", again);
            System.out.printf(Locale.ROOT, "ratio with/without: median %.2f, p95 %.2f; shadow compared %d, skipped %d"
                    + " (queue full), agreement %.3f%n", pct(with, 50) / pct(without, 50),
                    pct(with, 95) / pct(without, 95), report.compared(), report.skipped(), report.agreement());
        }
    }

    /** Per-frame latency (ms) of the active path over {@code frames} frames. */
    private static double[] run(int frames, int fps, List<byte[]> jpegs, ImageDecoder decoder, ImagePreprocessor pre,
            InferenceContext context, Postprocessor post, ShadowTap tap) throws Exception {
        double[] ms = new double[frames];
        long period = fps == 0 ? 0 : 1_000_000_000L / fps;
        long next = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            if (period > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += period;
            }
            byte[] jpeg = jpegs.get(i % jpegs.size());
            long t0 = System.nanoTime();
            BufferedImage image = decoder.decode(jpeg, "bench/" + i);
            context.input().clear();
            pre.preprocess(image, context.input());
            Classification c = post.apply(context.run());
            tap.offer(io.edgeloop.agent.source.Frame.encoded("cam", jpeg, "f" + i, null), c, (f, a, img) -> { });
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static void print(String phase, double[] ms) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", phase, pct(ms, 50), pct(ms, 95));
    }

    private static double pct(double[] values, int p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static List<byte[]> jpegs(int n, Random random) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            int base = random.nextInt(0xFFFFFF);
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    img.setRGB(x, y, base ^ (x * 31 + y * 17 + random.nextInt(64)));
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "jpeg", bytes);
            out.add(bytes.toByteArray());
        }
        return out;
    }
}

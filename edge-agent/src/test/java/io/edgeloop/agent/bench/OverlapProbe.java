package io.edgeloop.agent.bench;

import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark probe (not a timed test): how much raw ORT {@code run} (1 intra-op thread) slows down while another
 * thread of the same JVM keeps the second core busy, either decoding + preprocessing JPEGs (what stage 1 of the
 * camera worker does) or spinning on registers only. Tells a hardware limit of the machine (shared core or memory)
 * apart from a pipeline problem.
 *
 * <pre>
 * ./mvnw -B -pl edge-agent -am test -Dtest=OverlapProbe -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=/tmp/edgeloop-bench/mobilenet_v2.onnx
 * </pre>
 */
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
public final class OverlapProbe {

    private OverlapProbe() {
    }

    @Tag("benchmark")
    @Test
    void probe() throws Exception {
        Path model = Path.of(System.getProperty("bench.model", "/tmp/edgeloop-bench/mobilenet_v2.onnx"));
        Path work = Files.createTempDirectory("edgeloop-probe");
        Path images = PipelineBenchmark.writeJpegs(work.resolve("frames"), 20, new Random(42));
        ModelSpec spec = PipelineBenchmark.benchSpec(model, images, work.resolve("state"));
        byte[][] jpegs = new byte[20][];
        for (int i = 0; i < 20; i++) {
            jpegs[i] = Files.readAllBytes(images.resolve(String.format(Locale.ROOT, "%03d.jpg", i)));
        }
        try (ModelRuntime runtime = ModelRuntime.open(spec, 1, Optimization.ALL);
                InferenceContext ctx = runtime.newContext();
                InferenceContext other = runtime.newContext()) {
            ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
            ImagePreprocessor pre = new ImagePreprocessor(spec.preprocess());
            ctx.input().clear();
            pre.preprocess(decoder.decode(jpegs[0], "probe"), ctx.input());
            other.input().clear();
            pre.preprocess(decoder.decode(jpegs[1], "probe"), other.input());
            long[] alt = new long[200];
            for (int i = 0; i < alt.length; i++) {
                long s = System.nanoTime();
                (i % 2 == 0 ? ctx : other).run();
                alt[i] = System.nanoTime() - s;
            }
            Arrays.sort(alt);
            System.out.printf(Locale.ROOT, "alternating two contexts: p50 %.2f ms%n", alt[100] / 1e6);
            for (int round = 0; round < 2; round++) {
                System.out.printf(Locale.ROOT, "round %d: alone %s | beside decode+preprocess %s | beside spin %s%n",
                        round + 1, time(ctx, null), time(ctx, () -> {
                            FloatBuffer out = ByteBuffer.allocateDirect(ctx.input().capacity() * Float.BYTES)
                                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
                            return i -> {
                                BufferedImage img = decoder.decode(jpegs[i % 20], "probe");
                                out.clear();
                                pre.preprocess(img, out);
                            };
                        }), time(ctx, () -> i -> {
                            long x = i;
                            for (int k = 0; k < 2_000_000; k++) {
                                x = x * 6364136223846793005L + 1442695040888963407L;
                            }
                            SINK.addAndGet(x);
                        }));
            }
        }
        System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static final AtomicLong SINK = new AtomicLong();

    private interface Work {
        void step(int i) throws Exception;
    }

    private interface WorkFactory {
        Work create();
    }

    /** Raw ORT run p50 ms over 200 runs, with {@code background} looping on another thread meanwhile. */
    private static String time(InferenceContext ctx, WorkFactory background) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong steps = new AtomicLong();
        Thread t = null;
        if (background != null) {
            Work w = background.create();
            t = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        w.step(i);
                        steps.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
        }
        for (int i = 0; i < 20; i++) {
            ctx.run();
        }
        long[] each = new long[200];
        long t0 = System.nanoTime();
        for (int i = 0; i < each.length; i++) {
            long s = System.nanoTime();
            ctx.run();
            each[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        if (t != null) {
            t.join();
        }
        Arrays.sort(each);
        return String.format(Locale.ROOT, "p50 %.2f ms, %.0f runs/s%s", each[100] / 1e6, each.length / seconds,
                background == null ? "" : String.format(Locale.ROOT, " (background %.0f steps/s)",
                        steps.get() / seconds));
    }
}

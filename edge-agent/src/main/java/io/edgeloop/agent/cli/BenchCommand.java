package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.pipeline.DeviceBench;
import io.edgeloop.agent.pipeline.DeviceBench.Figures;
import io.edgeloop.agent.pipeline.DeviceBench.Resolved;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: on the device itself, measures a model package (and an int8 package beside it) at 1..N ONNX
 * Runtime threads with decoding and preprocessing included ({@link DeviceBench}), prints one table in 80 columns and
 * the settings to put into the agent's profile. Exit 0 with the table; 2 for bad options or files.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = {"Measure a model on this device: decode, preprocess and inference per frame, at 1..N ONNX"
                + " Runtime threads, for the fp32 package and an int8 one (--int8), then print the settings to"
                + " put into the agent's profile.",
                "Without --images it decodes camera-like 640x480 JPEGs made in memory."})
public final class BenchCommand implements Callable<Integer> {

    /** Most threads accepted, as {@code inference.intraOpThreads}. */
    private static final int MAX_THREADS = 64;
    /** An int8 package is recommended when at least this much faster, with this top-1 agreement. */
    private static final double INT8_MIN_SPEEDUP = 1.1;
    private static final double INT8_MIN_AGREEMENT = 0.99;
    /** The fewest threads whose frames/s reach this share of the best are recommended (cores stay free). */
    private static final double THREADS_SHARE = 0.9;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "the (fp32) model package")
    Path model;

    @Option(names = "--int8", paramLabel = "FILE", description = "an int8 package of the same model to compare")
    Path int8;

    @Option(names = "--images", paramLabel = "DIR", description = {"JPEG/PNG/BMP images to decode (up to 200;",
            "default: camera-like 640x480 JPEGs)"})
    Path images;

    @Option(names = "--threads", paramLabel = "N", description = {"measure 1..N ORT threads",
            "(default: the cores, ${DEFAULT-VALUE})"})
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--frames", paramLabel = "N", description = "frames per setting (default ${DEFAULT-VALUE})")
    int frames = 200;

    @Option(names = "--warmup", paramLabel = "N", description = "frames before each measurement (default "
            + "${DEFAULT-VALUE})")
    int warmup = 50;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        check();
        PrintWriter out = spec.commandLine().getOut();
        Resolved fp32 = DeviceBench.resolve(existing("--model", model));
        Resolved quantised = int8 == null ? null : DeviceBench.resolve(existing("--int8", int8));
        List<byte[]> frameData = images == null ? DeviceBench.syntheticJpegs(20, 42) : DeviceBench.readImages(images);
        int side = fp32.spec().preprocess().cropSize();
        out.printf(Locale.ROOT, "model %s (%s, %dx%d, %d classes)%n", model.getFileName(),
                fp32.assumed() ? "no card: ImageNet preprocessing assumed" : "version " + fp32.spec().version(),
                side, side, fp32.spec().labels().size());
        out.println("images " + (images == null ? frameData.size() + " synthetic 640x480 JPEGs"
                : frameData.size() + " from " + images));
        out.printf(Locale.ROOT, "%d cores; %d frames per row after %d warm-up%n",
                Runtime.getRuntime().availableProcessors(), frames, warmup);
        out.println();
        out.println("package threads  prepare ms  infer ms  frame ms  frames/s  2 stages/s");
        List<Figures> fp32Rows = rows(out, "fp32", fp32, frameData);
        List<Figures> int8Rows = quantised == null ? List.of() : rows(out, "int8", quantised, frameData);
        out.println();
        out.println("prepare = decode + preprocess; frames/s on one thread; '2 stages' = decode on");
        out.println("its own core beside inference, as the agent runs each camera (upper bound).");
        out.println();
        recommend(out, fp32Rows, int8Rows);
        return ExitCodes.OK;
    }

    private void check() {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new ParameterException(spec.commandLine(), "--threads is " + threads + ", allowed 1.."
                    + MAX_THREADS);
        }
        if (frames < 1) {
            throw new ParameterException(spec.commandLine(), "--frames is " + frames + ", allowed >= 1");
        }
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup is " + warmup + ", allowed >= 0");
        }
    }

    private static Path existing(String option, Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(option + " is '" + file + "': no such file, allowed an ONNX model package");
        }
        return file;
    }

    private List<Figures> rows(PrintWriter out, String name, Resolved model, List<byte[]> frameData)
            throws Exception {
        List<Figures> rows = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            Figures f;
            try {
                f = DeviceBench.measure(model.spec(), t, frameData, warmup, frames);
            } catch (ImageRejectedException e) {
                throw new ConfigException("--images: " + e.getMessage() + "; allowed JPEG, PNG or BMP files that"
                        + " decode", e);
            }
            rows.add(f);
            out.printf(Locale.ROOT, "%-7s %7d  %10.2f  %8.2f  %8.2f  %8.1f  %10.1f%n", name, t, f.prepareP50(),
                    f.inferP50(), f.frameP50(), f.framesPerSecond(), f.pipelinedFramesPerSecond());
            out.flush();
        }
        return rows;
    }

    private void recommend(PrintWriter out, List<Figures> fp32Rows, List<Figures> int8Rows) {
        Figures fp32Best = fewestThreads(fp32Rows);
        Figures chosen = fp32Best;
        String packageLine = "model.path: " + model + "   (fp32)";
        if (!int8Rows.isEmpty()) {
            Figures int8Best = fewestThreads(int8Rows);
            double speedup = int8Best.pipelinedFramesPerSecond() / fp32Best.pipelinedFramesPerSecond();
            double agreement = agreement(fp32Rows.get(0).top1(), int8Rows.get(0).top1());
            out.printf(Locale.ROOT, "int8 vs fp32: %.2fx frames/s (2 stages), top-1 agreement %.1f %% of %d images%n",
                    speedup, 100 * agreement, fp32Rows.get(0).top1().length);
            if (speedup >= INT8_MIN_SPEEDUP && agreement >= INT8_MIN_AGREEMENT) {
                chosen = int8Best;
                packageLine = "model.path: " + int8 + "   (int8)";
            } else {
                out.printf(Locale.ROOT, "int8 not recommended: needs >= %.1fx and >= %.0f %% agreement here%n",
                        INT8_MIN_SPEEDUP, 100 * INT8_MIN_AGREEMENT);
            }
            out.println("(agreement is with fp32 on these images, not accuracy: the card holds that)");
        }
        out.println("Settings for the profile (one camera; leave a core per extra camera):");
        out.println("  " + packageLine);
        out.println("  inference:");
        out.println("    intraOpThreads: " + chosen.threads());
        out.println("    spinWait: false");
    }

    /**
     * The fewest threads reaching {@link #THREADS_SHARE} of the best two-stage frames/s, among those that leave a
     * core to the camera's decoding (all of them on one core).
     */
    private static Figures fewestThreads(List<Figures> rows) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Figures> fitting = rows.stream().filter(f -> f.threads() <= Math.max(1, cores - 1)).toList();
        double best = fitting.stream().mapToDouble(Figures::pipelinedFramesPerSecond).max().orElseThrow();
        return fitting.stream().filter(f -> f.pipelinedFramesPerSecond() >= THREADS_SHARE * best).findFirst()
                .orElseThrow();
    }

    private static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }
}

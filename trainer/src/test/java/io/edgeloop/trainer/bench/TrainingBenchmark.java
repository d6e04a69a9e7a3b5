package io.edgeloop.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.train.AdamwKernel;
import io.edgeloop.trainer.train.FitConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training images/s of the edgeloop trainer (DJL + PyTorch engine through the ONNX importer, FineTuner's step and
 * GroupedOptimizer) against PyTorch eager in Python, on torchvision's MobileNetV2 built by
 * {@link ArchitectureOnnx}, with the same initial weights, the same batch, the same AdamW settings and the same
 * intra-op thread count, in one run: the Python reference runs as a child process and the two alternate round by
 * round (who goes first alternates too), so machine load hits both alike. Checks that both compute the same thing
 * (the first-step losses must agree; both loss trajectories are printed) before it reports speeds. With
 * {@code --separate-ops} each round also times the trainer with its reference AdamW kernel
 * ({@link AdamwKernel#SEPARATE_OPS}) beside the default fused one, and reports fused / separate from the same run.
 *
 * <p>Run (from the repository root): {@code scripts/bench-trainer.sh [options]}; {@code --help} lists them.
 */
@Command(name = "bench-trainer", mixinStandardHelpOptions = true,
        description = "Training speed of the edgeloop trainer vs PyTorch eager (MobileNetV2, CPU).")
public final class TrainingBenchmark implements Callable<Integer> {

    @Option(names = "--threads", description = "intra-op threads for both sides (default: DJL's default)")
    private Integer threads;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating measurement rounds (default 5)")
    private int rounds;

    @Option(names = "--steps", defaultValue = "3", description = "measured steps per round and side (default 3)")
    private int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up steps per strategy and side (default 3)")
    private int warmup;

    @Option(names = "--strategies", split = ",", defaultValue = "head,head-cached,full",
            converter = StrategyConverter.class, description = "any of head, head-cached, full")
    private List<BenchStrategy> strategies;

    @Option(names = "--separate-ops", description = "also time the reference AdamW kernel (separate NDArray ops)"
            + " beside the fused one in every round; reports fused / separate")
    private boolean separateOps;

    @Option(names = "--batch", defaultValue = "32")
    private int batch;

    @Option(names = "--size", defaultValue = "128", description = "image side in pixels")
    private int size;

    @Option(names = "--classes", defaultValue = "10")
    private int classes;

    @Option(names = "--seed", defaultValue = "42")
    private long seed;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "interpreter with torch, torchvision, onnx")
    private String python;

    @Option(names = "--script", defaultValue = "trainer/src/test/python/bench_pytorch.py")
    private Path script;

    @Option(names = "--profile", description = "after measuring, profile each strategy (PyTorch profiler on both"
            + " sides), keep the chrome traces in this folder and print the operators by self time")
    private Path profileDir;

    @Option(names = "--profile-steps", defaultValue = "2")
    private int profileSteps;

    @Option(names = "--profile-rows", defaultValue = "25")
    private int profileRows;

    @Option(names = "--work", description = "folder for the model and batch files (default: a temporary one)")
    private Path work;

    /** Shortest median step whose CPU time is reported. */
    private static final double CPU_CLOCK_MIN_STEP = 0.1;

    /** Relative tolerance of the first-step loss agreement. */
    private static final double FIRST_LOSS_TOLERANCE = 1e-3;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        int djlThreads = JniUtils.getNumThreads();
        int djlInterop = JniUtils.getNumInteropThreads();
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("edgeloop-bench");
        FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.FULL).batchSize(batch).imageSize(size)
                .augment(false).seed(seed).build();
        double lr = config.learningRate();

        OnnxMl.ModelProto model = ArchitectureOnnx.build(new ArchSpec(Architecture.MOBILENETV2, 1.0, size, classes,
                seed));
        Path onnx = dir.resolve("mobilenetv2.onnx");
        ArchitectureOnnx.write(model, onnx);
        Shape imageShape = new Shape(batch, 3, size, size);
        FloatBuffer pixels = randomImages(imageShape, seed);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % classes;
        }
        HeadSpec head = HeadSpec.auto(classes, seed);

        Map<BenchStrategy, Series> javaSeries = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, Series> pythonSeries = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, JavaTrainingRun> runs = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, List<Double>> roundRatios = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, JavaTrainingRun> referenceRuns = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, Series> referenceSeries = new EnumMap<>(BenchStrategy.class);
        Map<BenchStrategy, List<Double>> kernelRatios = new EnumMap<>(BenchStrategy.class);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            try {
                long features = 0;
                for (BenchStrategy s : strategies) {
                    JavaTrainingRun run = new JavaTrainingRun(s, AdamwKernel.FUSED, onnx, head, config, pixels,
                            imageShape, labels, manager);
                    runs.put(s, run);
                    if (separateOps) {
                        referenceRuns.put(s, new JavaTrainingRun(s, AdamwKernel.SEPARATE_OPS, onnx, head, config,
                                pixels, imageShape, labels, manager));
                    }
                    features = run.network().featureSize();
                    System.out.printf(Locale.ROOT, "java %-11s trains %d tensors, %d parameters%n", s.id(),
                            run.trainableTensors(), run.trainableScalars());
                }
                Path data = dir.resolve("batch.bin");
                writeData(data, pixels, labels, runs.values().iterator().next().network());
                List<String> command = List.of(python, script.toString(), "--onnx", onnx.toString(), "--data",
                        data.toString(), "--batch", Integer.toString(batch), "--size", Integer.toString(size),
                        "--classes", Integer.toString(classes), "--features", Long.toString(features),
                        "--threads", Integer.toString(djlThreads), "--interop-threads",
                        Integer.toString(djlInterop), "--lr", Double.toString(lr), "--backbone-lr-factor",
                        Double.toString(config.backboneLrFactor()), "--weight-decay",
                        Double.toString(config.weightDecay()), "--label-smoothing",
                        Double.toString(config.labelSmoothing()));
                try (PythonReference py = new PythonReference(command)) {
                    System.out.printf(Locale.ROOT, "edgeloop: DJL %s, PyTorch engine %s, intra-op threads %d,"
                            + " inter-op %d%n", Engine.getDjlVersion(), engine.getVersion(), djlThreads, djlInterop);
                    System.out.printf(Locale.ROOT, "python:   %s%n", py.info());
                    System.out.printf(Locale.ROOT, "malloc:   MALLOC_MMAP_THRESHOLD_=%s MALLOC_TRIM_THRESHOLD_=%s"
                            + " MALLOC_TOP_PAD_=%s%n", System.getenv("MALLOC_MMAP_THRESHOLD_"),
                            System.getenv("MALLOC_TRIM_THRESHOLD_"), System.getenv("MALLOC_TOP_PAD_"));
                    // the trainer's launcher caps oneDNN at SSE4.1 unless this is set (QuietEngine); the harness
                    // does not: both sides run with what the environment says
                    System.out.printf(Locale.ROOT, "oneDNN:   ONEDNN_MAX_CPU_ISA=%s (both sides)%n",
                            System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "unset, all ISAs"));
                    System.out.printf(Locale.ROOT, "batch %d × 3 × %d × %d, %d classes, AdamW lr %s (backbone × %s),"
                            + " wd %s, label smoothing %s; %d warm-up steps, %d rounds × %d steps%n", batch, size,
                            size, classes, lr, config.backboneLrFactor(), config.weightDecay(),
                            config.labelSmoothing(), warmup, rounds, steps);
                    for (BenchStrategy s : strategies) {
                        Series js = new Series();
                        Series ps = new Series();
                        javaSeries.put(s, js);
                        pythonSeries.put(s, ps);
                        for (int i = 0; i < warmup; i++) {
                            js.addWarmup(runs.get(s).step(lr));
                        }
                        py.run(s, warmup).losses().forEach(ps::addWarmup);
                        checkSameComputation(s, js.losses(), ps.losses());
                        if (separateOps) {
                            Series rs = new Series();
                            referenceSeries.put(s, rs);
                            for (int i = 0; i < warmup; i++) {
                                rs.addWarmup(referenceRuns.get(s).step(lr));
                            }
                            checkSameComputation(s, rs.losses(), ps.losses());
                        }
                    }
                    for (int r = 1; r <= rounds; r++) {
                        for (BenchStrategy s : strategies) {
                            boolean javaFirst = r % 2 == 1;
                            if (javaFirst) {
                                measureJava(runs.get(s), steps, lr, javaSeries.get(s));
                                measureReference(referenceRuns.get(s), steps, lr, referenceSeries.get(s));
                            }
                            measurePython(py, s, steps, pythonSeries.get(s), null);
                            if (!javaFirst) {
                                measureReference(referenceRuns.get(s), steps, lr, referenceSeries.get(s));
                                measureJava(runs.get(s), steps, lr, javaSeries.get(s));
                            }
                            List<Double> jw = javaSeries.get(s).lastWall(steps);
                            List<Double> pw = pythonSeries.get(s).lastWall(steps);
                            double ratio = StepStats.of(pw).median() / StepStats.of(jw).median();
                            roundRatios.computeIfAbsent(s, k -> new java.util.ArrayList<>()).add(ratio);
                            System.out.printf(Locale.ROOT, "round %d %-11s java %s s  python %s s  ratio %.2f×%n", r,
                                    s.id(), fmt(jw), fmt(pw), ratio);
                            if (separateOps) {
                                List<Double> rw = referenceSeries.get(s).lastWall(steps);
                                double k = StepStats.of(rw).median() / StepStats.of(jw).median();
                                kernelRatios.computeIfAbsent(s, x -> new java.util.ArrayList<>()).add(k);
                                System.out.printf(Locale.ROOT, "        %-11s java separate ops %s s  fused / separate"
                                        + " %.2f×%n", s.id(), fmt(rw), k);
                            }
                        }
                    }
                    report(javaSeries, pythonSeries, roundRatios, djlThreads);
                    reportPhases(javaSeries, pythonSeries, separateOps ? referenceSeries : Map.of());
                    if (separateOps) {
                        reportKernels(javaSeries, referenceSeries, pythonSeries, kernelRatios);
                    }
                    if (profileDir != null) {
                        profile(runs, py, lr);
                    }
                }
            } finally {
                for (JavaTrainingRun run : runs.values()) {
                    run.close();
                }
                for (JavaTrainingRun run : referenceRuns.values()) {
                    run.close();
                }
            }
        }
        return 0;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static void measureJava(JavaTrainingRun run, int n, double lr, Series series) {
        for (int i = 0; i < n; i++) {
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            float loss = run.step(lr);
            long wall = System.nanoTime() - start;
            series.add(wall / 1e9, (OS.getProcessCpuTime() - cpu) / 1e9, loss, run.lastPhases());
        }
    }

    /** Times the reference-kernel run, when there is one (with {@code --separate-ops}). */
    private static void measureReference(JavaTrainingRun run, int n, double lr, Series series) {
        if (run != null) {
            measureJava(run, n, lr, series);
        }
    }

    private static void measurePython(PythonReference py, BenchStrategy s, int n, Series series, Path profile)
            throws IOException {
        PythonReference.Result r = py.run(s, n, profile);
        for (int i = 0; i < n; i++) {
            series.add(r.seconds().get(i), r.cpuSeconds().get(i), r.losses().get(i), r.phases().get(i));
        }
    }

    /**
     * Runs {@code --profile-steps} more steps per strategy and side under the PyTorch profiler and prints the
     * operators by self time per step, side by side (the traces stay in {@code --profile}).
     */
    private void profile(Map<BenchStrategy, JavaTrainingRun> runs, PythonReference py, double lr)
            throws IOException {
        Files.createDirectories(profileDir);
        for (BenchStrategy s : strategies) {
            Path javaTrace = profileDir.resolve("edgeloop-" + s.id() + ".json");
            Path pythonTrace = profileDir.resolve("pytorch-" + s.id() + ".json");
            JniUtils.startProfile(false, false, false);
            Series js = new Series();
            try {
                measureJava(runs.get(s), profileSteps, lr, js);
            } finally {
                JniUtils.stopProfile(javaTrace.toAbsolutePath().toString());
            }
            measurePython(py, s, profileSteps, new Series(), pythonTrace);
            ProfileSummary j = ProfileSummary.read(javaTrace);
            ProfileSummary p = ProfileSummary.read(pythonTrace);
            System.out.printf(Locale.ROOT, "%nprofile %s, per step: edgeloop %d op calls, %.1f ms op self time;"
                    + " PyTorch %d op calls, %.1f ms%n", s.id(), j.totalCalls() / profileSteps,
                    j.totalMicros() / 1e3 / profileSteps, p.totalCalls() / profileSteps,
                    p.totalMicros() / 1e3 / profileSteps);
            System.out.printf(Locale.ROOT, "| op | edgeloop ms | calls | PyTorch ms | calls |%n"
                    + "|---|---|---|---|---|%n");
            java.util.Set<String> names = new java.util.TreeSet<>(j.entries().keySet());
            names.addAll(p.entries().keySet());
            names.stream()
                    .sorted(java.util.Comparator.comparingDouble((String n) -> -Math.max(micros(j, n), micros(p, n))))
                    .limit(profileRows)
                    .forEach(n -> System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %.1f | %d |%n", n,
                            micros(j, n) / 1e3 / profileSteps, calls(j, n) / profileSteps,
                            micros(p, n) / 1e3 / profileSteps, calls(p, n) / profileSteps));
        }
    }

    private static double micros(ProfileSummary s, String name) {
        ProfileSummary.Entry e = s.entries().get(name);
        return e == null ? 0 : e.selfMicros();
    }

    private static int calls(ProfileSummary s, String name) {
        ProfileSummary.Entry e = s.entries().get(name);
        return e == null ? 0 : e.calls();
    }

    /** Same weights, batch, loss and optimiser must give the same first loss; otherwise the speeds mean nothing. */
    private static void checkSameComputation(BenchStrategy s, List<Double> java, List<Double> python) {
        double a = java.get(0);
        double b = python.get(0);
        if (Math.abs(a - b) > FIRST_LOSS_TOLERANCE * Math.max(1, Math.abs(b))) {
            throw new IllegalStateException(s.id() + ": first-step loss differs: edgeloop " + a + ", PyTorch " + b
                    + " (tolerance " + FIRST_LOSS_TOLERANCE + " relative); the two sides do not train the same model");
        }
        System.out.printf(Locale.ROOT, "%-11s warm-up losses: edgeloop %s%n            PyTorch %s%n", s.id(),
                fmt(java), fmt(python));
    }

    private void report(Map<BenchStrategy, Series> java, Map<BenchStrategy, Series> python,
            Map<BenchStrategy, List<Double>> roundRatios, int djlThreads) {
        System.out.println();
        System.out.printf(Locale.ROOT, "| strategy | edgeloop img/s | PyTorch img/s | ratio | per-round ratio median"
                + " (min–max) | edgeloop step ms median [p25–p75] (min–max) | PyTorch step ms median [p25–p75]"
                + " (min–max) | CPU s/step edgeloop / PyTorch (ratio) | last loss edgeloop / PyTorch |%n"
                + "|---|---|---|---|---|---|---|---|---|%n");
        for (BenchStrategy s : strategies) {
            Series js = java.get(s);
            Series ps = python.get(s);
            StepStats j = js.wall();
            StepStats p = ps.wall();
            // the JVM's process CPU clock ticks in 10 ms: too coarse for steps of a few ms
            String cpu = j.median() < CPU_CLOCK_MIN_STEP ? "–" : String.format(Locale.ROOT, "%.3f / %.3f (%.2f×)",
                    js.cpu().median(), ps.cpu().median(), ps.cpu().median() / js.cpu().median());
            StepStats rr = StepStats.of(roundRatios.get(s));
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× | %.2f× (%.2f–%.2f) | %s | %s | %s"
                    + " | %.4f / %.4f |%n",
                    s.id(), j.imagesPerSecond(batch), p.imagesPerSecond(batch),
                    j.imagesPerSecond(batch) / p.imagesPerSecond(batch), rr.median(), rr.min(), rr.max(), ms(j),
                    ms(p), cpu, js.lastLoss(), ps.lastLoss());
        }
        System.out.printf(Locale.ROOT, "%n%d measured steps per cell (%d rounds × %d), %d intra-op threads each side"
                + "; ratio = edgeloop / PyTorch images/s at the median step time; per-round ratio: the same within each"
                + " round (paired, back to back); CPU ratio = PyTorch / edgeloop"
                + " CPU time per step (> 1: edgeloop needs less)%n", rounds * steps, rounds, steps, djlThreads);
    }

    /** Median milliseconds per phase of a step on each side (and with the reference kernel, when timed). */
    private void reportPhases(Map<BenchStrategy, Series> java, Map<BenchStrategy, Series> python,
            Map<BenchStrategy, Series> separate) {
        System.out.printf(Locale.ROOT, "%n| strategy | phase | edgeloop ms | PyTorch ms | edgeloop / PyTorch time |%s%n"
                + "|---|---|---|---|---|%s%n", separate.isEmpty() ? "" : " edgeloop separate ops ms |",
                separate.isEmpty() ? "" : "---|");
        for (BenchStrategy s : strategies) {
            for (int i = 0; i < Series.PHASES.size(); i++) {
                double j = java.get(s).phase(i).median() * 1e3;
                double p = python.get(s).phase(i).median() * 1e3;
                String ref = separate.isEmpty() ? "" : String.format(Locale.ROOT, " %.1f |",
                        separate.get(s).phase(i).median() * 1e3);
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f |%s%n", s.id(), Series.PHASES.get(i),
                        j, p, j / p, ref);
            }
        }
    }

    /** Fused vs reference AdamW kernel in the trainer, each also against PyTorch, all from the same rounds. */
    private void reportKernels(Map<BenchStrategy, Series> fused, Map<BenchStrategy, Series> separate,
            Map<BenchStrategy, Series> python, Map<BenchStrategy, List<Double>> kernelRatios) {
        System.out.printf(Locale.ROOT, "%n| strategy | fused img/s | separate ops img/s | fused / separate |"
                + " per-round median (min–max) | separate ops / PyTorch | CPU s/step fused / separate |"
                + " last loss fused / separate |%n|---|---|---|---|---|---|---|---|%n");
        for (BenchStrategy s : strategies) {
            StepStats f = fused.get(s).wall();
            StepStats r = separate.get(s).wall();
            StepStats k = StepStats.of(kernelRatios.get(s));
            String cpu = f.median() < CPU_CLOCK_MIN_STEP ? "–" : String.format(Locale.ROOT, "%.3f / %.3f",
                    fused.get(s).cpu().median(), separate.get(s).cpu().median());
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× | %.2f× (%.2f–%.2f) | %.2f× | %s |"
                    + " %.4f / %.4f |%n", s.id(), f.imagesPerSecond(batch), r.imagesPerSecond(batch),
                    f.imagesPerSecond(batch) / r.imagesPerSecond(batch), k.median(), k.min(), k.max(),
                    r.imagesPerSecond(batch) / python.get(s).wall().imagesPerSecond(batch), cpu,
                    fused.get(s).lastLoss(), separate.get(s).lastLoss());
        }
    }

    private static String ms(StepStats s) {
        return String.format(Locale.ROOT, "%.0f [%.0f–%.0f] (%.0f–%.0f)", s.median() * 1e3, s.quantile(0.25) * 1e3,
                s.quantile(0.75) * 1e3, s.min() * 1e3, s.max() * 1e3);
    }

    private static String fmt(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v));
        }
        return b.append(']').toString();
    }

    /** Standard-normal pixels from {@code seed}, in a direct native-order buffer (as BatchLoader fills them). */
    static FloatBuffer randomImages(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * (int) shape.size()).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < shape.size(); i++) {
            // Box–Muller from two uniforms
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            buffer.put((float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
        }
        return buffer.rewind();
    }

    /** The batch and the new head's initial weights for the Python side (layout in bench_pytorch.py). */
    private static void writeData(Path file, FloatBuffer pixels, int[] labels, OnnxClassifierNetwork network)
            throws IOException {
        float[] weight = network.head().weight().getArray().toFloatArray();
        float[] bias = network.head().bias().getArray().toFloatArray();
        int floats = pixels.limit() + weight.length + bias.length;
        ByteBuffer bytes = ByteBuffer.allocate(4 * (floats + labels.length)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer p = pixels.duplicate().rewind();
        while (p.hasRemaining()) {
            bytes.putFloat(p.get());
        }
        for (int l : labels) {
            bytes.putInt(l);
        }
        for (float w : weight) {
            bytes.putFloat(w);
        }
        for (float b : bias) {
            bytes.putFloat(b);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes.array());
        }
    }

    /** Parses strategy names for picocli. */
    static final class StrategyConverter implements CommandLine.ITypeConverter<BenchStrategy> {
        @Override
        public BenchStrategy convert(String value) {
            return BenchStrategy.parse(value);
        }
    }
}

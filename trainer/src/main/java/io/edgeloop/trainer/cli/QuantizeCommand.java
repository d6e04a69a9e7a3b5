package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.model.Quantization;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.job.DecodePool;
import io.edgeloop.trainer.job.QuantizeJob;
import io.edgeloop.trainer.job.QuantizeRequest;
import io.edgeloop.trainer.job.QuantizeResult;
import io.edgeloop.trainer.quantize.FusedKernels;
import io.edgeloop.trainer.quantize.RangeMethod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer quantize}: static int8 quantisation of a model package ({@link QuantizeJob}); prints both top-1
 * accuracies, the drop, the agreement and the int8 kernels ONNX Runtime runs. Exit 1 when the drop exceeds
 * {@code --max-drop} (nothing written) unless {@code --force}; 2 for bad input.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Quantise a model package to static int8 (QDQ ONNX), calibrated on images and checked"
                + " against the fp32 package's top-1 accuracy.")
public final class QuantizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "fp32 model package: its model.onnx or its folder.")
    Path model;

    @Option(names = "--calib", required = true, paramLabel = "DIR",
            description = "Calibration ImageFolder: DIR/<label>/*.jpg|png|bmp.")
    Path calib;

    @Option(names = "--val", paramLabel = "DIR",
            description = "Validation ImageFolder for both accuracies. Default: a split of --calib, as fit splits"
                    + " --data.")
    Path val;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the int8 model.onnx.")
    Path out;

    @Option(names = "--method", paramLabel = "M", defaultValue = "minmax",
            description = "Activation ranges: minmax, percentile (99.99) or entropy (KL). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--calib-images", paramLabel = "N", defaultValue = "300",
            description = "Calibrate on at most N images (a seeded sample). Default: ${DEFAULT-VALUE}.")
    int calibImages;

    @Option(names = "--max-drop", paramLabel = "POINTS", defaultValue = "1",
            description = "Refuse (exit 1) a top-1 drop above this many points. Default: ${DEFAULT-VALUE}.")
    double maxDrop;

    @Option(names = "--force", description = "Write the int8 package even when the drop exceeds --max-drop.")
    boolean force;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each class held out without --val. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split and the sample. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Image decoding threads, 1 to 256. Default: one per CPU core.")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Images per ONNX Runtime run, 1 to 4096. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        QuantizeRequest request = new QuantizeRequest(model, calib, Optional.ofNullable(val), out,
                RangeMethod.of("--method", method), calibImages, maxDrop, force,
                threads == null ? DecodePool.defaultThreads() : threads, batchSize, seed, valFraction, false);
        QuantizeResult result = new QuantizeJob().run(request);
        PrintWriter o = spec.commandLine().getOut();
        print(o, result);
        if (result.gateExceeded()) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "warning: the drop of %.2f points exceeds --max-drop %.2f; written because of"
                    + " --force%n", result.quantization().dropPoints(), maxDrop);
            err.flush();
        }
        return ExitCodes.OK;
    }

    /** The summary {@code quantize} and {@code fit --quantize} print. */
    static void print(PrintWriter out, QuantizeResult r) {
        Quantization q = r.quantization();
        out.printf(Locale.ROOT, "int8 (%s, %d calibration images): top-1 %.2f %% vs fp32 %.2f %% on %d validation"
                        + " images, drop %.2f points, agreement %.1f %%%n", q.method(), q.calibrationImages(),
                100 * q.int8Accuracy(), 100 * q.fp32Accuracy(), q.validationImages(), q.dropPoints(),
                100 * q.agreement());
        out.printf(Locale.ROOT, "graph: %d BatchNormalization folded, %d activations quantised; ONNX Runtime runs"
                        + " %d int8 kernels (%s)%n", r.foldedBatchNorms(), r.quantizedTensors(),
                FusedKernels.int8Nodes(r.kernels()), int8Kernels(r.kernels()));
        out.printf(Locale.ROOT, "size: %,d bytes (fp32 %,d bytes)%n", r.int8Bytes(), r.fp32Bytes());
        for (SkippedImage s : r.skipped()) {
            out.printf(Locale.ROOT, "skipped: %s: %s%n", s.file(), s.reason());
        }
        r.model().ifPresent(p -> out.println("model: " + p + " (" + r.card().name() + " " + r.card().version()
                + ", unsigned: 'trainer deploy --key' signs it like any package)"));
        out.flush();
    }

    private static String int8Kernels(Map<String, Integer> kernels) {
        String listed = new TreeMap<>(kernels).entrySet().stream()
                .filter(e -> FusedKernels.INT8_OPS.contains(e.getKey()))
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        return listed.isEmpty() ? "none" : listed;
    }
}

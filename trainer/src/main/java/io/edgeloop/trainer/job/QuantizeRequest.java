package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.trainer.quantize.RangeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Quantising a model package to static int8; validated on construction (messages name the {@code trainer quantize}
 * option).
 *
 * @param model              the fp32 package: its {@code model.onnx} or the folder holding it
 * @param calibration        ImageFolder whose class folders are labels of the model
 * @param validation         separate ImageFolder to measure both accuracies on; empty: a stratified split of
 *                           {@code calibration} (as {@code fit} splits its data: the same images for the same folder,
 *                           seed and fraction), calibrating on the rest
 * @param outDir             folder for the int8 {@code model.onnx}; not the fp32 package's own folder
 * @param method             how activation ranges are calibrated
 * @param calibrationImages  at most this many calibration images (a seeded sample), 1..100000
 * @param maxDrop            largest accepted top-1 drop in percentage points, &gt;= 0
 * @param force              write the package even when the drop exceeds {@code maxDrop}
 * @param threads            image decoding threads
 * @param batchSize          images per ONNX Runtime run when the model's batch is dynamic
 * @param seed               seed of the split and of the calibration sample
 * @param validationFraction share of each class held out when splitting, in (0, 1)
 * @param skipUnreadable     leave unreadable images out (listed in the result) instead of refusing them; for
 *                           {@code fit --quantize}, whose images fit already checked and reported
 */
public record QuantizeRequest(Path model, Path calibration, Optional<Path> validation, Path outDir,
                              RangeMethod method, int calibrationImages, double maxDrop, boolean force, int threads,
                              int batchSize, long seed, double validationFraction, boolean skipUnreadable) {

    /** Default cap on calibration images: a few hundred settle the ranges of a CNN. */
    public static final int DEFAULT_CALIBRATION_IMAGES = 300;
    /** Default accuracy gate, in percentage points of top-1. */
    public static final double DEFAULT_MAX_DROP = 1.0;
    /** Default images per ONNX Runtime run (the calibration graph exposes every activation: keep batches small). */
    public static final int DEFAULT_BATCH = 8;

    public QuantizeRequest {
        Objects.requireNonNull(model, "model");
        if (Files.isDirectory(model)) {
            model = model.resolve("model.onnx");
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("--model " + model.getParent() + " is a folder without a"
                        + " model.onnx, allowed a model package (model.onnx with its card, as fit writes it) or"
                        + " its folder");
            }
        }
        Checks.file("--model", model);
        Checks.directory("--calib", calibration);
        Objects.requireNonNull(validation, "validation");
        validation.ifPresent(v -> Checks.directory("--val", v));
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(method, "method");
        Checks.range("--calib-images", calibrationImages, 1, 100_000);
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
            throw new IllegalArgumentException("--max-drop is " + maxDrop + ", allowed a number of percentage"
                    + " points >= 0");
        }
        Checks.range("--threads", threads, 1, DecodePool.MAX_THREADS);
        Checks.range("--batch-size", batchSize, 1, 4096);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction is " + validationFraction + ", allowed 0 < F < 1");
        }
        if (outDir.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException("--out " + outDir + " is the fp32 package's own folder, allowed"
                    + " another folder (the int8 package is written as DIR/model.onnx)");
        }
    }

    /** Defaults: minmax calibration on up to 300 images, 1-point gate, fit's split (20 %, seed 42). */
    public static QuantizeRequest of(Path model, Path calibration, Path outDir) {
        return new QuantizeRequest(model, calibration, Optional.empty(), outDir, RangeMethod.DEFAULT,
                DEFAULT_CALIBRATION_IMAGES, DEFAULT_MAX_DROP, false, DecodePool.defaultThreads(), DEFAULT_BATCH, 42,
                0.2, false);
    }

    /** This request with another range method. */
    public QuantizeRequest withMethod(RangeMethod m) {
        return new QuantizeRequest(model, calibration, validation, outDir, m, calibrationImages, maxDrop, force,
                threads, batchSize, seed, validationFraction, skipUnreadable);
    }

    /** This request with another gate. */
    public QuantizeRequest withGate(double points, boolean forced) {
        return new QuantizeRequest(model, calibration, validation, outDir, method, calibrationImages, points, forced,
                threads, batchSize, seed, validationFraction, skipUnreadable);
    }

    /** This request with a separate validation folder. */
    public QuantizeRequest withValidation(Path folder) {
        return new QuantizeRequest(model, calibration, Optional.of(folder), outDir, method, calibrationImages,
                maxDrop, force, threads, batchSize, seed, validationFraction, skipUnreadable);
    }
}

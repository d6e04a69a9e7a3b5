package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.Locale;
import java.util.Objects;

/**
 * One finished run of the grid.
 *
 * @param perClass       training images per class requested ({@link SizePlan#ALL} for all)
 * @param strategy       what trained
 * @param seed           subset and training seed
 * @param trainImages    training images actually used
 * @param testAccuracy   accuracy of the kept (best-validation) weights on the target test images, 0..1
 * @param testMacroF1    macro F1 on the test images, 0..1
 * @param valAccuracy    validation accuracy of the kept weights, 0..1
 * @param bestEpoch      epoch whose weights were kept (epochs to the best checkpoint)
 * @param epochsRun      epochs actually run (fewer than planned after an early stop)
 * @param trainSeconds   wall time of the training run (training, per-epoch validation, checkpoints)
 */
public record RunResult(int perClass, FineTuneStrategy strategy, long seed, int trainImages, double testAccuracy,
                        double testMacroF1, double valAccuracy, int bestEpoch, int epochsRun, double trainSeconds) {

    /** Header line of {@code results.csv}. */
    public static final String CSV_HEADER = "per_class,strategy,seed,train_images,test_accuracy,test_macro_f1,"
            + "val_accuracy,best_epoch,epochs_run,train_seconds";

    public RunResult {
        Objects.requireNonNull(strategy, "strategy");
        unit("testAccuracy", testAccuracy);
        unit("testMacroF1", testMacroF1);
        unit("valAccuracy", valAccuracy);
        if (bestEpoch < 1 || bestEpoch > epochsRun) {
            throw new IllegalArgumentException("bestEpoch is " + bestEpoch + ", allowed 1.." + epochsRun);
        }
        if (!(trainSeconds >= 0)) {
            throw new IllegalArgumentException("trainSeconds is " + trainSeconds + ", allowed >= 0");
        }
    }

    /** The grid cell this run belongs to, e.g. {@code 20/head/1}. */
    public String key() {
        return key(perClass, strategy, seed);
    }

    static String key(int perClass, FineTuneStrategy strategy, long seed) {
        return SizePlan.label(perClass) + "/" + strategy.name().toLowerCase(Locale.ROOT) + "/" + seed;
    }

    /** One CSV line (no newline). */
    public String toCsv() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f,%.4f,%d,%d,%.1f", SizePlan.label(perClass),
                strategy.name().toLowerCase(Locale.ROOT), seed, trainImages, testAccuracy, testMacroF1,
                valAccuracy, bestEpoch, epochsRun, trainSeconds);
    }

    /** Parses {@link #toCsv()}'s output; errors name the line. */
    public static RunResult fromCsv(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 10) {
            throw new IllegalArgumentException("results line '" + line + "' has " + f.length
                    + " fields, expected 10 (" + CSV_HEADER + ")");
        }
        try {
            int perClass = f[0].equals("all") ? SizePlan.ALL : Integer.parseInt(f[0]);
            return new RunResult(perClass, FineTuneStrategy.valueOf(f[1].toUpperCase(Locale.ROOT)),
                    Long.parseLong(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]),
                    Double.parseDouble(f[9]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("results line '" + line + "' is invalid: " + e.getMessage(), e);
        }
    }

    private static void unit(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " is " + v + ", allowed 0..1");
        }
    }
}

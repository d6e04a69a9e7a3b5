package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.List;

/**
 * The runs of one grid cell (size × strategy) over its seeds: means and sample standard deviations.
 *
 * @param perClass          requested images per class ({@link SizePlan#ALL} for all)
 * @param strategy          the strategy
 * @param runs              number of seeds measured
 * @param trainImagesPerClass mean training images per class actually used
 * @param accuracyMean      mean test accuracy
 * @param accuracyStd       sample standard deviation of the test accuracy (0 with a single run)
 * @param secondsMean       mean training wall time in seconds
 * @param secondsStd        its sample standard deviation
 * @param bestEpochMean     mean epoch of the kept checkpoint
 * @param epochsRunMean     mean epochs run
 */
public record CellSummary(int perClass, FineTuneStrategy strategy, int runs, double trainImagesPerClass,
                          double accuracyMean, double accuracyStd, double secondsMean, double secondsStd,
                          double bestEpochMean, double epochsRunMean) {

    /** Summarises the runs of one cell (all of the same size and strategy). */
    public static CellSummary of(List<RunResult> runs, int numClasses) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a cell needs at least one run");
        }
        RunResult first = runs.get(0);
        for (RunResult r : runs) {
            if (r.perClass() != first.perClass() || r.strategy() != first.strategy()) {
                throw new IllegalArgumentException("run " + r.key() + " does not belong to the cell of "
                        + first.key());
            }
        }
        double[] acc = runs.stream().mapToDouble(RunResult::testAccuracy).toArray();
        double[] sec = runs.stream().mapToDouble(RunResult::trainSeconds).toArray();
        return new CellSummary(first.perClass(), first.strategy(), runs.size(),
                runs.stream().mapToDouble(RunResult::trainImages).average().orElseThrow() / numClasses,
                mean(acc), std(acc), mean(sec), std(sec),
                runs.stream().mapToDouble(RunResult::bestEpoch).average().orElseThrow(),
                runs.stream().mapToDouble(RunResult::epochsRun).average().orElseThrow());
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1); 0 for a single value. */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}

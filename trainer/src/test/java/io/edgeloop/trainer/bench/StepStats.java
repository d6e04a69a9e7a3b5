package io.edgeloop.trainer.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of measured step durations: median and spread (quartiles, min, max), and the training throughput they
 * mean for a batch size.
 *
 * @param seconds the durations, sorted ascending (at least one)
 */
record StepStats(double[] seconds) {

    StepStats {
        if (seconds.length == 0) {
            throw new IllegalArgumentException("no step durations measured");
        }
        seconds = seconds.clone();
        Arrays.sort(seconds);
    }

    static StepStats of(List<Double> seconds) {
        return new StepStats(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int count() {
        return seconds.length;
    }

    double median() {
        return quantile(0.5);
    }

    /** Linear-interpolated quantile, q in [0, 1]. */
    double quantile(double q) {
        double pos = q * (seconds.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return seconds[lo] + (seconds[hi] - seconds[lo]) * (pos - lo);
    }

    double min() {
        return seconds[0];
    }

    double max() {
        return seconds[seconds.length - 1];
    }

    /** Images per second at the median step time. */
    double imagesPerSecond(int batch) {
        return batch / median();
    }

    /** Half the interquartile range relative to the median: a robust noise figure. */
    double relativeSpread() {
        return (quantile(0.75) - quantile(0.25)) / 2 / median();
    }
}

package io.edgeloop.trainer.quantize;

import java.nio.FloatBuffer;

/**
 * What calibration saw of one activation tensor, and the range each {@link RangeMethod} makes of it. Two passes over
 * the same images: the first records the smallest and largest value ({@link #observeRange}); {@link #freeze} then
 * fixes a histogram of {@value #BINS} bins over {@code [0, max]} for a non-negative tensor or {@code [-a, a]} with
 * {@code a = max(|min|, |max|)} for a signed one, and the second pass fills it ({@link #observeValues}). MINMAX
 * needs only the first pass. Not thread-safe: one calibrator owns it.
 */
public final class ActivationHistogram {

    /** Histogram bins (TensorRT's entropy calibrator uses 2048 too). */
    public static final int BINS = 2048;

    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long[] counts;
    private float low;
    private float width;

    /** Pass 1: widens the min/max by every value in the buffer (from its position to its limit). */
    public void observeRange(FloatBuffer values) {
        if (counts != null) {
            throw new IllegalStateException("observeRange after freeze(): the range pass is over");
        }
        for (int i = values.position(); i < values.limit(); i++) {
            float v = values.get(i);
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
    }

    /** Ends pass 1 and lays out the histogram. */
    public void freeze() {
        if (!(min <= max) || !Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalStateException("no finite values observed (min " + min + ", max " + max + ")");
        }
        low = min >= 0 ? 0 : -Math.max(-min, max);
        float high = min >= 0 ? max : -low;
        width = high > low ? (high - low) / BINS : 1f;
        counts = new long[BINS];
    }

    /** Pass 2: counts every value in the buffer into the histogram. */
    public void observeValues(FloatBuffer values) {
        if (counts == null) {
            throw new IllegalStateException("observeValues before freeze(): run the range pass first");
        }
        for (int i = values.position(); i < values.limit(); i++) {
            int bin = (int) ((values.get(i) - low) / width);
            counts[Math.max(0, Math.min(BINS - 1, bin))]++;
        }
    }

    /** Smallest value seen in pass 1. */
    public float min() {
        return min;
    }

    /** Largest value seen in pass 1. */
    public float max() {
        return max;
    }

    /** The range {@code method} picks; every method but MINMAX needs both passes. */
    public TensorRange range(RangeMethod method) {
        if (!(min <= max)) {
            throw new IllegalStateException("no values observed");
        }
        if (method == RangeMethod.MINMAX) {
            return TensorRange.including0(min, max);
        }
        if (counts == null) {
            throw new IllegalStateException(method.id() + " needs the histogram pass (freeze, observeValues)");
        }
        return method == RangeMethod.PERCENTILE ? percentile(RangeMethod.PERCENTILE_KEPT) : entropy();
    }

    /** Both ends at the given percentile of the values (the low end only for a signed tensor). */
    TensorRange percentile(double percent) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double tail = total * (100 - percent) / 100;
        float hi = max;
        long above = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            above += counts[b];
            if (above > tail) {
                hi = Math.min(max, low + (b + 1) * width);
                break;
            }
        }
        float lo = min;
        if (min < 0) {
            long below = 0;
            for (int b = 0; b < BINS; b++) {
                below += counts[b];
                if (below > tail) {
                    lo = Math.max(min, low + b * width);
                    break;
                }
            }
        }
        return TensorRange.including0(lo, hi);
    }

    /**
     * TensorRT's entropy calibration on |x|: for each candidate threshold {@code i} bins from 0, the reference
     * distribution P is the histogram up to i with everything beyond folded into its last bin, Q is that histogram
     * merged into as many levels as the quantised tensor has on that side (255 for a non-negative tensor, 128 for a
     * signed one) and spread back over the non-empty bins; the threshold with the smallest KL(P || Q) wins.
     */
    private TensorRange entropy() {
        long[] magnitude;
        int levels;
        if (min >= 0) {
            magnitude = counts;
            levels = 255;
        } else {
            // fold the symmetric histogram: bin BINS/2 + k and BINS/2 - 1 - k hold |x| in the same interval
            magnitude = new long[BINS / 2];
            for (int k = 0; k < BINS / 2; k++) {
                magnitude[k] = counts[BINS / 2 + k] + counts[BINS / 2 - 1 - k];
            }
            levels = 128;
        }
        int best = Entropy.bestThreshold(magnitude, levels);
        float threshold = best * width;
        if (min >= 0) {
            return TensorRange.including0(0, Math.min(max, threshold));
        }
        return TensorRange.including0(Math.max(min, -threshold), Math.min(max, threshold));
    }
}

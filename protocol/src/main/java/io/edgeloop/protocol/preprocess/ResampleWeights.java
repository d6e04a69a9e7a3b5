package io.edgeloop.protocol.preprocess;

/**
 * Fixed-point weights of PIL's antialiased bilinear (triangle) filter for resizing one axis from {@code inSize}
 * to {@code outSize} samples, computed exactly as Pillow's {@code Resample.c} does ({@code precompute_coeffs} then
 * {@code normalize_coeffs_8bpc}): the filter support grows with the downscale factor, the weights of each output
 * sample are normalised to sum 1 in double precision and then rounded to 22-bit fixed point.
 *
 * <p>Only the output samples {@code from..to} are computed (those inside the crop), so an extreme aspect ratio
 * cannot make the table huge. Immutable; computed once per (source size, target size, range) and reused for every
 * frame of that size.
 */
final class ResampleWeights {

    /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
    static final int PRECISION_BITS = 22;
    /** Rounding bias added to every accumulator before the final shift. */
    static final int HALF = 1 << (PRECISION_BITS - 1);
    /**
     * Largest weight table (64 MB): a downscale by a factor f needs about {@code 2 f} weights per output sample,
     * so only absurd aspect ratios (a 50-megapixel strip squeezed to a square) come near it.
     */
    static final long MAX_TABLE_ENTRIES = 1L << 24;

    private final int inSize;
    private final int outSize;
    private final int from;
    private final int to;
    private final int kernelSize;
    /** First source sample used by output sample {@code from + i}. */
    private final int[] first;
    /** Number of source samples used by output sample {@code from + i}. */
    private final int[] count;
    /** {@code kernelSize} fixed-point weights per output sample; unused tail entries are 0. */
    private final int[] weights;
    /**
     * The same filter as windows of exactly {@code kernelSize} source samples starting at {@code windowStart},
     * zero weights filling the rest ({@link #windowed()}), so that loops run a fixed number of taps. Adding terms
     * with weight 0 leaves the integer sums, and so the result, unchanged. Null when the axis is shorter than the
     * kernel.
     */
    private final int[] windowStart;
    private final int[] windowWeights;

    private ResampleWeights(int inSize, int outSize, int from, int to) {
        this.inSize = inSize;
        this.outSize = outSize;
        this.from = from;
        this.to = to;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // the triangle filter's support is 1
        this.kernelSize = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[to - from];
        this.count = new int[to - from];
        this.weights = new int[(to - from) * kernelSize];
        double[] k = new double[kernelSize];
        double inverseScale = 1.0 / filterScale;
        for (int xx = from; xx < to; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * inverseScale);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (sum != 0.0) {
                    k[x] /= sum;
                }
                double scaled = k[x] * (1 << PRECISION_BITS);
                weights[(xx - from) * kernelSize + x] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            }
            first[xx - from] = xmin;
            count[xx - from] = xmax;
        }
        if (inSize >= kernelSize) {
            windowStart = new int[to - from];
            windowWeights = new int[weights.length];
            for (int i = 0; i < to - from; i++) {
                int start = Math.min(first[i], inSize - kernelSize);
                windowStart[i] = start;
                System.arraycopy(weights, i * kernelSize, windowWeights, i * kernelSize + first[i] - start, count[i]);
            }
        } else {
            windowStart = null;
            windowWeights = null;
        }
    }

    /** Weights for output samples {@code from..to} of resizing an axis of {@code inSize} samples to {@code outSize}. */
    static ResampleWeights bilinear(int inSize, int outSize, int from, int to) {
        if (inSize < 1 || outSize < 1 || from < 0 || to > outSize || from >= to) {
            throw new IllegalArgumentException("cannot resample " + inSize + " samples to " + outSize
                    + " for output range " + from + ".." + to + "; sizes must be >= 1, 0 <= from < to <= out");
        }
        long entries = (long) (to - from) * ((long) Math.ceil(Math.max((double) inSize / outSize, 1.0)) * 2 + 1);
        if (entries > MAX_TABLE_ENTRIES) {
            throw new IllegalArgumentException("resampling " + inSize + " pixels to " + outSize + " needs " + entries
                    + " filter weights, allowed at most " + MAX_TABLE_ENTRIES + "; the image's aspect ratio is too "
                    + "extreme for this resize");
        }
        return new ResampleWeights(inSize, outSize, from, to);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    int inSize() {
        return inSize;
    }

    int outSize() {
        return outSize;
    }

    int kernelSize() {
        return kernelSize;
    }

    int first(int out) {
        return first[out - from];
    }

    int count(int out) {
        return count[out - from];
    }

    /** Offset of output sample {@code out}'s weights in {@link #weights()}. */
    int weightOffset(int out) {
        return (out - from) * kernelSize;
    }

    /** Whether {@link #windowStart(int)} and {@link #windowWeights()} exist (the axis is at least a kernel long). */
    boolean windowed() {
        return windowStart != null;
    }

    /** First source sample of output sample {@code out}'s fixed window of {@link #kernelSize()} samples. */
    int windowStart(int out) {
        return windowStart[out - from];
    }

    /**
     * {@code kernelSize} weights per output sample for its fixed window, at {@link #weightOffset(int)}; callers
     * must not modify it.
     */
    int[] windowWeights() {
        return windowWeights;
    }

    /** The weight table; callers must not modify it. */
    int[] weights() {
        return weights;
    }

    boolean matches(int in, int out, int rangeFrom, int rangeTo) {
        return inSize == in && outSize == out && from == rangeFrom && to == rangeTo;
    }

    /** Pillow's {@code clip8}: drop the fixed-point fraction and clamp to 0..255. */
    static int clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}

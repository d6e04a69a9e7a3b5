package io.edgeloop.protocol.preprocess;

/**
 * Fixed-point weights of PIL's antialiased bilinear (triangle) filter for resizing one axis from {@code inSize}
 * to {@code outSize} samples, computed exactly as Pillow's {@code Resample.c} does ({@code precompute_coeffs} then
 * {@code normalize_coeffs_8bpc}): the filter support grows with the downscale factor, the weights of each output
 * sample are normalised to sum 1 in double precision and then rounded to 22-bit fixed point.
 *
 * <p>Immutable; computed once per (source size, target size) and reused for every frame of that size.
 */
final class ResampleWeights {

    /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
    static final int PRECISION_BITS = 22;
    /** Rounding bias added to every accumulator before the final shift. */
    static final int HALF = 1 << (PRECISION_BITS - 1);

    private final int inSize;
    private final int outSize;
    private final int kernelSize;
    /** First source sample used by output sample {@code i}. */
    private final int[] first;
    /** Number of source samples used by output sample {@code i}. */
    private final int[] count;
    /** {@code kernelSize} fixed-point weights per output sample; unused tail entries are 0. */
    private final int[] weights;

    private ResampleWeights(int inSize, int outSize) {
        this.inSize = inSize;
        this.outSize = outSize;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // the triangle filter's support is 1
        this.kernelSize = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[outSize];
        this.count = new int[outSize];
        this.weights = new int[outSize * kernelSize];
        double[] k = new double[kernelSize];
        double inverseScale = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
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
                weights[xx * kernelSize + x] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
    }

    /** Weights for resizing an axis of {@code inSize} samples to {@code outSize}. */
    static ResampleWeights bilinear(int inSize, int outSize) {
        if (inSize < 1 || outSize < 1) {
            throw new IllegalArgumentException("cannot resample " + inSize + " samples to " + outSize
                    + ", both must be >= 1");
        }
        return new ResampleWeights(inSize, outSize);
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
        return first[out];
    }

    int count(int out) {
        return count[out];
    }

    /** Offset of output sample {@code out}'s weights in {@link #weights()}. */
    int weightOffset(int out) {
        return out * kernelSize;
    }

    /** The weight table; callers must not modify it. */
    int[] weights() {
        return weights;
    }

    boolean matches(int in, int out) {
        return inSize == in && outSize == out;
    }

    /** Pillow's {@code clip8}: drop the fixed-point fraction and clamp to 0..255. */
    static int clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}

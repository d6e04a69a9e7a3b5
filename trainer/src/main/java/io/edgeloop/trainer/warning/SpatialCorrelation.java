package io.edgeloop.trainer.warning;

import java.util.Arrays;

/**
 * How much neighbouring taps of convolution kernels agree: the correlation of each kernel weight with its right and
 * lower neighbour, pooled over k×k kernels. A random initialisation draws every tap independently, so the
 * correlation is 0 up to sampling noise ({@link #z()} is then about standard normal); training makes kernels
 * smooth (edge and blob detectors), so a trained network's is clearly positive.
 *
 * @param r      correlation of adjacent taps, uncentred, each layer normalised by its own mean squared weight
 * @param pairs  adjacent tap pairs it was measured on
 * @param layers k×k convolution layers it was measured on
 */
public record SpatialCorrelation(double r, long pairs, int layers) {

    /** Nothing measured. */
    public static final SpatialCorrelation NONE = new SpatialCorrelation(0, 0, 0);

    /** How many standard errors r is from 0 under independent taps: r·√pairs. */
    public double z() {
        return r * Math.sqrt(pairs);
    }

    /**
     * One layer's correlation. {@code weights} is an ONNX Conv weight [out, in/group, kh, kw] in row-major order;
     * a layer with kh or kw below 2 has no adjacent taps in that direction.
     */
    public static SpatialCorrelation ofLayer(float[] weights, long[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("conv weight shape has " + shape.length + " dimensions, allowed 4"
                    + " [out, in/group, kh, kw]");
        }
        int kh = Math.toIntExact(shape[2]);
        int kw = Math.toIntExact(shape[3]);
        long expected = shape[0] * shape[1] * kh * kw;
        if (expected != weights.length) {
            throw new IllegalArgumentException("conv weight has " + weights.length + " values but its shape "
                    + Arrays.toString(shape) + " holds " + expected);
        }
        int area = kh * kw;
        double products = 0;
        double energy = 0;
        long pairs = 0;
        for (int k = 0; k + area <= weights.length; k += area) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    double w = weights[k + y * kw + x];
                    energy += w * w;
                    if (x + 1 < kw) {
                        products += w * weights[k + y * kw + x + 1];
                        pairs++;
                    }
                    if (y + 1 < kh) {
                        products += w * weights[k + (y + 1) * kw + x];
                        pairs++;
                    }
                }
            }
        }
        if (pairs == 0 || energy == 0) {
            return NONE;
        }
        return new SpatialCorrelation(products / pairs / (energy / weights.length), pairs, 1);
    }

    /** Pools two measurements, each layer weighted by its pairs. */
    public SpatialCorrelation plus(SpatialCorrelation other) {
        long total = pairs + other.pairs;
        if (total == 0) {
            return NONE;
        }
        return new SpatialCorrelation((r * pairs + other.r * other.pairs) / total, total, layers + other.layers);
    }
}

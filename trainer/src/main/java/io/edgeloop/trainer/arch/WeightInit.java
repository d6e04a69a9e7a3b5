package io.edgeloop.trainer.arch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random initialisations torchvision's CNN constructors use, drawn from a per-tensor generator so that every
 * tensor depends only on the seed and its own name (adding a layer does not reshuffle the others).
 */
enum WeightInit {
    /**
     * {@code nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")}: normal(0, sqrt(2 / fan_out)), fan_out
     * = out_channels × kernel area (for a grouped or depthwise conv too). All torchvision CNN convs.
     */
    KAIMING_NORMAL_FAN_OUT,
    /** {@code nn.init.normal_(w, 0, 0.01)}: MobileNetV2's classifier. */
    NORMAL_0_01,
    /**
     * PyTorch's default {@code nn.Linear} init, kept by ResNet's {@code fc}: weight and bias uniform(-1/sqrt(fan_in),
     * 1/sqrt(fan_in)) (kaiming_uniform with a = sqrt(5) for the weight).
     */
    LINEAR_DEFAULT_UNIFORM,
    /** All ones: BatchNorm gamma, running variance. */
    ONES,
    /** All zeros: BatchNorm beta, running mean, MobileNetV2's classifier bias. */
    ZEROS;

    /**
     * Values for a tensor of the given shape. {@code fanIn} is only used by {@link #LINEAR_DEFAULT_UNIFORM} (a bias
     * takes the fan-in of its weight).
     */
    float[] values(long seed, String name, long[] shape, long fanIn) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        switch (this) {
            case ONES -> Arrays.fill(v, 1f);
            case ZEROS -> {
                // already zero
            }
            case KAIMING_NORMAL_FAN_OUT -> {
                long receptive = 1;
                for (int d = 2; d < shape.length; d++) {
                    receptive *= shape[d];
                }
                double std = Math.sqrt(2.0 / (shape[0] * receptive));
                SplittableRandom random = random(seed, name);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            }
            case NORMAL_0_01 -> {
                SplittableRandom random = random(seed, name);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * 0.01);
                }
            }
            case LINEAR_DEFAULT_UNIFORM -> {
                double bound = 1.0 / Math.sqrt(fanIn);
                SplittableRandom random = random(seed, name);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
            default -> throw new IllegalStateException("unhandled init " + this);
        }
        return v;
    }

    /** A generator for one tensor: the seed mixed with a 64-bit FNV-1a hash of the tensor's name. */
    static SplittableRandom random(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(seed ^ h);
    }
}

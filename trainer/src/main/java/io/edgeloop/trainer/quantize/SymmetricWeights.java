package io.edgeloop.trainer.quantize;

/**
 * Symmetric int8 quantisation of a weight tensor, per output channel (axis 0) or as one tensor: {@code scale[c] =
 * max|w| / 127} over the channel and {@code q = clamp(round(w / scale[c]), -127, 127)} with zero point 0. The range
 * is kept symmetric (-128 unused) so that u8×s8 products cannot overflow the 16-bit sums of some x86 kernels, and
 * so the round-trip error of every weight is at most {@code scale[c] / 2}.
 *
 * @param values the int8 weights, in the tensor's order
 * @param scales one scale per channel (length 1 for per-tensor), each &gt; 0
 */
public record SymmetricWeights(byte[] values, float[] scales) {

    /** Largest magnitude of a level. */
    public static final int LEVELS = 127;

    /**
     * Quantises {@code weights} laid out as {@code channels} equal consecutive blocks (axis 0 of a Conv weight
     * [C_out, C_in/g, kH, kW]); {@code channels == 1} quantises the tensor as a whole.
     */
    public static SymmetricWeights of(float[] weights, int channels) {
        if (channels < 1 || weights.length % channels != 0) {
            throw new IllegalArgumentException(weights.length + " weights do not split into " + channels
                    + " channels, allowed a channel count that divides the weight count");
        }
        int per = weights.length / channels;
        byte[] q = new byte[weights.length];
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                if (!Float.isFinite(weights[i])) {
                    throw new IllegalArgumentException("weight " + i + " is " + weights[i]
                            + ", allowed finite numbers");
                }
                max = Math.max(max, Math.abs(weights[i]));
            }
            // an all-zero channel stays all zero at any scale; 1 keeps the scale valid and the bias scale exact
            float scale = max > 0 ? max / LEVELS : 1f;
            scales[c] = scale;
            for (int i = c * per; i < (c + 1) * per; i++) {
                int level = Math.round(weights[i] / scale);
                q[i] = (byte) Math.max(-LEVELS, Math.min(LEVELS, level));
            }
        }
        return new SymmetricWeights(q, scales);
    }

    /** The weights as DequantizeLinear gives them back: {@code q * scale[c]}. */
    public float[] dequantized() {
        int per = values.length / scales.length;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scales[i / per];
        }
        return out;
    }
}

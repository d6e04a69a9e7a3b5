package io.edgeloop.trainer.quantize;

/**
 * The real-valued interval an activation tensor's uint8 quantisation covers; it always contains 0, so that 0 (the
 * padding value of convolutions and pools) is exactly representable.
 *
 * @param min lower end, &lt;= 0
 * @param max upper end, &gt;= 0
 */
public record TensorRange(float min, float max) {

    public TensorRange {
        if (!(min <= 0) || !(max >= 0) || !Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not a finite interval"
                    + " containing 0");
        }
    }

    /** The range of [lo, hi] widened to contain 0. */
    public static TensorRange including0(float lo, float hi) {
        return new TensorRange(Math.min(lo, 0f), Math.max(hi, 0f));
    }

    /**
     * Asymmetric uint8 parameters for this range: {@code scale = (max - min) / 255}, {@code zeroPoint =
     * round(-min / scale)} in 0..255; a range of width 0 (a tensor that is always 0) gets scale 1.
     */
    public QuantParams uint8() {
        float width = max - min;
        if (!(width > 0)) {
            return new QuantParams(1f, 0);
        }
        float scale = width / 255f;
        int zero = Math.round(-min / scale);
        return new QuantParams(scale, Math.max(0, Math.min(255, zero)));
    }
}

package io.edgeloop.trainer.quantize;

/**
 * One tensor's affine uint8 quantisation, as QuantizeLinear takes it: {@code q = clamp(round(x / scale) + zeroPoint,
 * 0, 255)} and DequantizeLinear {@code x = (q - zeroPoint) * scale}.
 *
 * @param scale     step between two levels, &gt; 0
 * @param zeroPoint the level that stands for 0.0, in 0..255
 */
public record QuantParams(float scale, int zeroPoint) {

    public QuantParams {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale is " + scale + ", allowed a finite number > 0");
        }
        if (zeroPoint < 0 || zeroPoint > 255) {
            throw new IllegalArgumentException("zeroPoint is " + zeroPoint + ", allowed 0..255");
        }
    }
}

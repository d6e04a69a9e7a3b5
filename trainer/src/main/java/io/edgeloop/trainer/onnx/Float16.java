package io.edgeloop.trainer.onnx;

/**
 * IEEE 754 half precision (ONNX {@code FLOAT16}) to float32. Every half value is exactly representable as a float,
 * so widening loses nothing: subnormals, ±0, ±∞ and NaN (payload kept in the top mantissa bits) included. Java 17
 * has no {@code Float.float16ToFloat} (it came in 20).
 */
final class Float16 {

    private static final int EXPONENT_BIAS_DIFFERENCE = 127 - 15;

    private Float16() {
    }

    /** The float with the value of the half whose bits are the low 16 bits of {@code bits}. */
    static float toFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // ∞ or NaN
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign); // ±0
            }
            // subnormal: mantissa · 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + EXPONENT_BIAS_DIFFERENCE) << 23) | (mantissa << 13));
    }
}

package io.edgeloop.protocol.model;

import java.util.List;

/**
 * How an int8 package was quantised from its fp32 package, and what it cost: both top-1 accuracies on the same
 * validation images, measured with ONNX Runtime by {@code trainer quantize}. A package without this field is fp32.
 * Nothing on the device reads it to run the model (the QDQ graph is self-describing); it is there so a person or a
 * gate can see the accuracy the int8 kernels cost before deploying.
 *
 * @param scheme            {@value #SCHEME}: QuantizeLinear/DequantizeLinear pairs, int8 symmetric per-channel
 *                          weights, uint8 per-tensor activations (docs/quantization.md)
 * @param method            how activation ranges were calibrated: one of {@link #METHODS}
 * @param calibrationImages images the ranges were calibrated on, &gt;= 1
 * @param validationImages  images both accuracies were measured on, &gt;= 1
 * @param fp32Accuracy      top-1 accuracy of the fp32 package on them, in [0, 1]
 * @param int8Accuracy      top-1 accuracy of this package on them, in [0, 1]
 * @param agreement         share of them on which both packages predict the same class, in [0, 1]
 * @param sourceSha256      SHA-256 of the fp32 package file this one was made from
 */
public record Quantization(String scheme, String method, int calibrationImages, int validationImages,
                           double fp32Accuracy, double int8Accuracy, double agreement, String sourceSha256) {

    /** The one scheme written so far. */
    public static final String SCHEME = "int8-qdq";

    /** The calibration methods, as {@code trainer quantize --method} names them. */
    public static final List<String> METHODS = List.of("minmax", "percentile", "entropy");

    public Quantization {
        if (!SCHEME.equals(scheme)) {
            throw new IllegalArgumentException("quantization.scheme is " + quoted(scheme) + ", allowed \"" + SCHEME
                    + "\"");
        }
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("quantization.method is " + quoted(method) + ", allowed one of "
                    + METHODS);
        }
        if (calibrationImages < 1) {
            throw new IllegalArgumentException("quantization.calibrationImages is " + calibrationImages
                    + ", allowed an integer >= 1");
        }
        if (validationImages < 1) {
            throw new IllegalArgumentException("quantization.validationImages is " + validationImages
                    + ", allowed an integer >= 1");
        }
        requireShare("quantization.fp32Accuracy", fp32Accuracy);
        requireShare("quantization.int8Accuracy", int8Accuracy);
        requireShare("quantization.agreement", agreement);
        Names.requireSha256("quantization.sourceSha256", sourceSha256);
    }

    /** fp32 minus int8 top-1 accuracy in percentage points (positive: int8 is worse). */
    public double dropPoints() {
        return 100 * (fp32Accuracy - int8Accuracy);
    }

    private static void requireShare(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed a number in [0, 1]");
        }
    }

    private static String quoted(String s) {
        return s == null ? "missing" : "\"" + Names.abbreviate(s) + "\"";
    }
}

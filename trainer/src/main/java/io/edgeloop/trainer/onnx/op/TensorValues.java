package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reads small configuration tensors (shapes, axes, pads, scalars) into Java values. */
final class TensorValues {

    private TensorValues() {
    }

    /** Integer values of an INT64/INT32 (or integral float) tensor. */
    static long[] longs(NDArray a) {
        DataType t = a.getDataType();
        if (t == DataType.INT64) {
            return a.toLongArray();
        }
        if (t == DataType.INT32) {
            int[] v = a.toIntArray();
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
            return out;
        }
        try (NDArray l = a.toType(DataType.INT64, false)) {
            return l.toLongArray();
        }
    }

    /** The single float value of a scalar (or one-element) tensor. */
    static float scalar(NDArray a) {
        if (a.getShape().size() != 1) {
            throw new IllegalArgumentException("expected a scalar, got shape " + a.getShape());
        }
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray()[0];
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray()[0];
        }
    }

    static long product(long[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }
}

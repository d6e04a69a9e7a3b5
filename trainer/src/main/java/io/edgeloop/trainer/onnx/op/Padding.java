package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Explicit padding of any axes, as ONNX means it: begin/end amounts per axis (negative crops), constant, edge or
 * reflect values. DJL's {@code pad} takes torch order (last axis first) and rejects values below −1, so negative
 * amounts are cropped by slicing first; edge and reflect are built from slices (differentiable).
 */
final class Padding {

    /** Pad mode as ONNX names it. */
    enum Mode { CONSTANT, EDGE, REFLECT }

    private Padding() {
    }

    /**
     * @param begin amounts before each axis (length = rank)
     * @param end amounts after each axis (length = rank)
     */
    static NDArray pad(NDArray x, long[] begin, long[] end, Mode mode, double value) {
        int rank = x.getShape().dimension();
        long[] dims = x.getShape().getShape();
        boolean crop = false;
        NDIndex index = new NDIndex();
        for (int a = 0; a < rank; a++) {
            long from = begin[a] < 0 ? -begin[a] : 0;
            long to = end[a] < 0 ? dims[a] + end[a] : dims[a];
            if (from != 0 || to != dims[a]) {
                crop = true;
            }
            index.addSliceDim(from, to);
        }
        NDArray y = crop ? x.get(index) : x;
        long[] b = new long[rank];
        long[] e = new long[rank];
        boolean any = false;
        for (int a = 0; a < rank; a++) {
            b[a] = Math.max(0, begin[a]);
            e[a] = Math.max(0, end[a]);
            any |= b[a] != 0 || e[a] != 0;
        }
        if (!any) {
            return y;
        }
        if (mode == Mode.CONSTANT) {
            long[] torchOrder = new long[2 * rank];
            for (int a = 0; a < rank; a++) {
                torchOrder[2 * (rank - 1 - a)] = b[a];
                torchOrder[2 * (rank - 1 - a) + 1] = e[a];
            }
            return y.pad(new Shape(torchOrder), value);
        }
        for (int a = 0; a < rank; a++) {
            if (b[a] != 0 || e[a] != 0) {
                y = padAxis(y, a, b[a], e[a], mode);
            }
        }
        return y;
    }

    private static NDArray padAxis(NDArray x, int axis, long before, long after, Mode mode) {
        long n = x.getShape().get(axis);
        if (mode == Mode.REFLECT && (before >= n || after >= n)) {
            throw new IllegalArgumentException("reflect padding of " + Math.max(before, after) + " on axis " + axis
                    + " needs more than " + n + " elements");
        }
        NDList parts = new NDList();
        for (long i = before; i >= 1; i--) {
            long src = mode == Mode.EDGE ? 0 : i;
            parts.add(x.get(NDIndex.sliceAxis(axis, src, src + 1)));
        }
        parts.add(x);
        for (long i = 1; i <= after; i++) {
            long src = mode == Mode.EDGE ? n - 1 : n - 1 - i;
            parts.add(x.get(NDIndex.sliceAxis(axis, src, src + 1)));
        }
        return NDArrays.concat(parts, axis);
    }
}

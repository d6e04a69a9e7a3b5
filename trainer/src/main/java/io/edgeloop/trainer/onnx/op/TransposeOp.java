package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Transpose by {@code perm} (default: reverse the axes). */
final class TransposeOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        int rank = x.getShape().dimension();
        long[] perm = ctx.attributes().getInts("perm");
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : ctx.axis(perm[i], rank);
        }
        return List.of(x.transpose(p));
    }
}

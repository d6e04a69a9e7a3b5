package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.List;

/** Gemm: α·A'·B' + β·C. The common torch Linear form (transB=1, α=β=1, C of size N) runs as one linear call. */
final class GemmOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray a = ctx.required(inputs, 0, "A");
        NDArray b = ctx.required(inputs, 1, "B");
        NDArray c = OpContext.optional(inputs, 2);
        float alpha = ctx.attributes().getFloat("alpha", 1f);
        float beta = ctx.attributes().getFloat("beta", 1f);
        boolean transA = ctx.attributes().getInt("transA", 0) != 0;
        boolean transB = ctx.attributes().getInt("transB", 0) != 0;
        if (a.getShape().dimension() != 2 || b.getShape().dimension() != 2) {
            throw ctx.error("A " + a.getShape() + " and B " + b.getShape() + " must both be 2-D");
        }
        long n = transB ? b.getShape().get(0) : b.getShape().get(1);
        if (!transA && transB && alpha == 1f && beta == 1f && (c == null || c.getShape().size() == n)) {
            NDArray bias = c == null || c.getShape().dimension() == 1 ? c : c.reshape(n);
            return List.of(Linear.linear(a, b, bias).singletonOrThrow());
        }
        NDArray lhs = transA ? a.transpose() : a;
        NDArray rhs = transB ? b.transpose() : b;
        NDArray y = lhs.matMul(rhs);
        if (alpha != 1f) {
            y = y.mul(ScalarTensor.of(ctx.manager(), alpha));
        }
        if (c != null) {
            y = y.add(beta == 1f ? c : c.mul(ScalarTensor.of(ctx.manager(), beta)));
        }
        return List.of(y);
    }
}

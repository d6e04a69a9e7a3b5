package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Flatten to 2-D at {@code axis} (default 1): [prod(dims[:axis]), prod(dims[axis:])]. */
final class FlattenOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "input");
        long[] d = x.getShape().getShape();
        long axis = ctx.attributes().getInt("axis", 1);
        int a = axis == d.length ? d.length : ctx.axis(axis, d.length);
        return List.of(x.reshape(TensorValues.product(d, 0, a), TensorValues.product(d, a, d.length)));
    }
}

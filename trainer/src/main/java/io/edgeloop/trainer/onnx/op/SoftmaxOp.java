package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Softmax and LogSoftmax. From opset 13 along one axis (default −1); before 13 the input is coerced to 2-D at
 * {@code axis} (default 1) and normalised over the whole second part, as the older spec says.
 */
final class SoftmaxOp implements OnnxOp {

    private final boolean log;

    SoftmaxOp(boolean log) {
        this.log = log;
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "input");
        long[] dims = x.getShape().getShape();
        if (ctx.opset() >= 13) {
            int axis = ctx.axis(ctx.attributes().getInt("axis", -1), dims.length);
            return List.of(log ? x.logSoftmax(axis) : x.softmax(axis));
        }
        int axis = dims.length == 0 ? 0 : ctx.axis(ctx.attributes().getInt("axis", 1), dims.length);
        NDArray flat = x.reshape(TensorValues.product(dims, 0, axis), TensorValues.product(dims, axis, dims.length));
        NDArray y = log ? flat.logSoftmax(1) : flat.softmax(1);
        return List.of(y.reshape(x.getShape()));
    }
}

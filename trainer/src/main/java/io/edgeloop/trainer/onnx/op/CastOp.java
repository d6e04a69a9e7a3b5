package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.edgeloop.trainer.onnx.TensorProtos;
import java.util.List;

/**
 * Cast. A cast to the type the input already has returns the input: {@code toType} would cut the gradient (see
 * ONNX_OPS.md), and float→float casts sit inside trainable paths.
 */
final class CastOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "input");
        long to = ctx.attributes().getInt("to", -1);
        if (to < 0) {
            throw ctx.error("attribute 'to' is required");
        }
        DataType target = TensorProtos.dataType((int) to, ctx.node().outputs().get(0));
        if (target == x.getDataType()) {
            return List.of(x);
        }
        return List.of(x.toType(target, false));
    }
}

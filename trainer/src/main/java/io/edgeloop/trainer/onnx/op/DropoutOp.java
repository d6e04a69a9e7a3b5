package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import java.util.List;

/**
 * Dropout: identity in inference mode; in training mode (a trainable part of the network) drops with the node's ratio
 * (attribute before opset 12, input 1 from 12; default 0.5). The optional mask output is all true in inference.
 */
final class DropoutOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        float ratio = ctx.attributes().getFloat("ratio", 0.5f);
        NDArray r = OpContext.optional(inputs, 1);
        if (r != null) {
            ratio = TensorValues.scalar(r);
        }
        NDArray y = ctx.training() && ratio > 0 ? Dropout.dropout(x, ratio, true).singletonOrThrow() : x;
        if (ctx.node().outputs().size() > 1 && !ctx.node().outputs().get(1).isEmpty()) {
            return List.of(y, ctx.manager().ones(x.getShape(), ai.djl.ndarray.types.DataType.BOOLEAN));
        }
        return List.of(y);
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

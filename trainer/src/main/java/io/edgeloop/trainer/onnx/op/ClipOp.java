package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Clip: min/max as attributes before opset 11, as optional inputs from 11; a missing bound means unbounded. */
final class ClipOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "input");
        float lo;
        float hi;
        if (ctx.opset() < 11) {
            lo = ctx.attributes().getFloat("min", -Float.MAX_VALUE);
            hi = ctx.attributes().getFloat("max", Float.MAX_VALUE);
        } else {
            NDArray min = OpContext.optional(inputs, 1);
            NDArray max = OpContext.optional(inputs, 2);
            lo = min == null ? -Float.MAX_VALUE : TensorValues.scalar(min);
            hi = max == null ? Float.MAX_VALUE : TensorValues.scalar(max);
        }
        return List.of(x.clip(lo, hi));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

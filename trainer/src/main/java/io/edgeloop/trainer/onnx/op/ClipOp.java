package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Clip: min/max as attributes before opset 11, as optional inputs from 11; a missing bound means unbounded.
 *
 * <p>In a node that trains, Clip runs as {@link Hardtanh} (the same values; a one-pass backward instead of the
 * clamp's four): ReLU6 is what torchvision and Keras MobileNets export, 35 times per network. The gradient differs
 * from the clamp's only at the bounds exactly (0 there, as PyTorch's ReLU6, instead of 1). In inference mode
 * (frozen nodes, evaluation), with non-float input or crossed bounds, the plain clamp runs.
 *
 * <p>When the graph lets it overwrite its input (a BatchNormalization or Conv output nothing else reads: all of
 * MobileNet's ReLU6), it runs in place, as torchvision's {@code ReLU6(inplace=True)}, in training and inference
 * nodes alike: no new activation (tens of MB each at the first layers) to allocate and fault in; the same values.
 */
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
        if (x.getDataType() == DataType.FLOAT32 && lo <= hi) {
            if (ctx.mayOverwrite(0)) {
                return List.of(Hardtanh.applyInPlace(x, lo, hi));
            }
            if (ctx.training()) {
                return List.of(Hardtanh.apply(x, lo, hi));
            }
        }
        return List.of(x.clip(lo, hi));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * Clip: min/max as attributes before opset 11, as optional inputs from 11; a missing bound means unbounded.
 *
 * <p>ReLU6 ({@code Clip(x, 0, 6)}, what torchvision and Keras MobileNets export) in a node that trains runs as {@code relu(x) − relu(x − 6)}: the engine's clamp backward costs four passes over the activation
 * (two comparisons, a logical and, a where), two ReLU backwards (threshold masks) cost about 2.4× less here, and
 * PyTorch itself runs ReLU6 as hardtanh with a one-pass backward, which DJL does not expose. The value is exact: for
 * x ≤ 6 the second term is 0; for 6 &lt; x &lt; 2<sup>25</sup> x − 6 is exact in float32 (6 is a multiple of the
 * spacing of x), so x − (x − 6) is exactly 6. The bound is checked with one read-only reduction; beyond it (or on
 * NaN), and in inference mode (frozen nodes, evaluation), the plain clip runs. The gradient differs from the clamp's only at x = 0
 * exactly (0 here, as with hardtanh, instead of 1).
 */
final class ClipOp implements OnnxOp {

    /** Below this magnitude x − 6 is exact in float32. */
    private static final float RELU6_EXACT_LIMIT = 1 << 25;

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
        if (lo == 0f && hi == 6f && ctx.training() && x.getDataType().isFloating()
                && x.max().getFloat() < RELU6_EXACT_LIMIT) {
            return List.of(Activation.relu(x).sub(Activation.relu(x.sub(6f))));
        }
        return List.of(x.clip(lo, hi));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

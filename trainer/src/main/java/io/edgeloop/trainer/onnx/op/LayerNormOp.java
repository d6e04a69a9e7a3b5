package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.Arrays;
import java.util.List;

/** LayerNormalization (opset 17) over the axes from {@code axis} to the end; a missing bias is zeros. */
final class LayerNormOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        NDArray scale = ctx.required(inputs, 1, "Scale");
        NDArray bias = OpContext.optional(inputs, 2);
        if (ctx.node().outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            throw ctx.error("the Mean/InvStdDev outputs are not supported");
        }
        long[] dims = x.getShape().getShape();
        int axis = ctx.axis(ctx.attributes().getInt("axis", -1), dims.length);
        float eps = ctx.attributes().getFloat("epsilon", 1e-5f);
        Shape normalized = new Shape(Arrays.copyOfRange(dims, axis, dims.length));
        NDArray gamma = scale.getShape().equals(normalized) ? scale : scale.reshape(normalized);
        NDArray beta = bias == null ? ctx.manager().zeros(normalized)
                : bias.getShape().equals(normalized) ? bias : bias.reshape(normalized);
        return List.of(LayerNorm.layerNorm(x, normalized, gamma, beta, eps).singletonOrThrow());
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** HardSigmoid: clip(αx + β, 0, 1), ONNX defaults α = 0.2, β = 0.5 (torch exports α = 1/6). */
final class HardSigmoidOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        float alpha = ctx.attributes().getFloat("alpha", 0.2f);
        float beta = ctx.attributes().getFloat("beta", 0.5f);
        NDArray x = ctx.required(inputs, 0, "X");
        return List.of(x.mul(ScalarTensor.of(ctx.manager(), alpha)).add(ScalarTensor.of(ctx.manager(), beta))
                .clip(0f, 1f));
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** MatMul with numpy semantics (batched, broadcast, 1-D). */
final class MatMulOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        return List.of(ctx.required(inputs, 0, "A").matMul(ctx.required(inputs, 1, "B")));
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Identity: the output is the input. */
final class IdentityOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        return List.of(ctx.required(inputs, 0, "input"));
    }
}

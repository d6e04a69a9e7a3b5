package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/** Concat along {@code axis}. */
final class ConcatOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDList list = new NDList();
        for (int i = 0; i < inputs.size(); i++) {
            list.add(ctx.required(inputs, i, "inputs"));
        }
        int axis = ctx.axis(ctx.attributes().getInt("axis", Long.MIN_VALUE), list.get(0).getShape().dimension());
        if (list.size() == 1) {
            return List.of(list.get(0));
        }
        return List.of(NDArrays.concat(list, axis));
    }
}

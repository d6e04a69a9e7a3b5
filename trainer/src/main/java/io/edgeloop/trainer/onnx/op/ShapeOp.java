package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;

/** Shape as an INT64 tensor (with the opset-15 start/end attributes). */
final class ShapeOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        long[] dims = ctx.required(inputs, 0, "data").getShape().getShape();
        int rank = dims.length;
        long start = ctx.attributes().getInt("start", 0);
        long end = ctx.attributes().getInt("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        return List.of(ctx.manager().create(Arrays.copyOfRange(dims, (int) start, (int) Math.max(start, end))));
    }

    @Override
    public boolean isDataInput(int index) {
        return false;
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * ReduceMean and ReduceSum. Axes are an attribute up to opset 17 (ReduceSum: 12) and an optional input after; no
 * axes means all axes unless {@code noop_with_empty_axes}.
 */
final class ReduceOp implements OnnxOp {

    private final boolean mean;
    private final int axesInputSince;

    private ReduceOp(boolean mean, int axesInputSince) {
        this.mean = mean;
        this.axesInputSince = axesInputSince;
    }

    static ReduceOp mean() {
        return new ReduceOp(true, 18);
    }

    static ReduceOp sum() {
        return new ReduceOp(false, 13);
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        int rank = x.getShape().dimension();
        long[] axes;
        if (ctx.opset() >= axesInputSince) {
            NDArray a = OpContext.optional(inputs, 1);
            axes = a == null ? null : TensorValues.longs(a);
        } else {
            axes = ctx.attributes().getInts("axes");
        }
        boolean keep = ctx.attributes().getInt("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (ctx.attributes().getInt("noop_with_empty_axes", 0) != 0) {
                return List.of(x);
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] norm = new int[axes.length];
        long n = 1;
        for (int i = 0; i < axes.length; i++) {
            norm[i] = ctx.axis(axes[i], rank);
            n *= x.getShape().get(norm[i]);
        }
        NDArray s = x.sum(norm, keep);
        return List.of(mean ? s.div(ScalarTensor.of(ctx.manager(), (float) n)) : s);
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

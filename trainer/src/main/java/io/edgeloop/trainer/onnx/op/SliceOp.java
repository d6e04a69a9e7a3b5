package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * Slice with ONNX clamping (INT64_MAX/MIN ends, negative starts/ends). Negative steps flip the axis and slice forward
 * (the engine has no negative step). Starts/ends/axes are attributes before opset 10.
 */
final class SliceOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (ctx.opset() < 10) {
            starts = ctx.attributes().getInts("starts");
            ends = ctx.attributes().getInts("ends");
            axes = ctx.attributes().getInts("axes");
        } else {
            starts = TensorValues.longs(ctx.required(inputs, 1, "starts"));
            ends = TensorValues.longs(ctx.required(inputs, 2, "ends"));
            NDArray a = OpContext.optional(inputs, 3);
            NDArray s = OpContext.optional(inputs, 4);
            axes = a == null ? null : TensorValues.longs(a);
            steps = s == null ? null : TensorValues.longs(s);
        }
        long[] dims = x.getShape().getShape();
        int rank = dims.length;
        long[] from = new long[rank];
        long[] to = dims.clone();
        long[] step = new long[rank];
        boolean[] flip = new boolean[rank];
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = ctx.axis(axes == null ? i : axes[i], rank);
            long d = dims[axis];
            long st = steps == null ? 1 : steps[i];
            if (st == 0) {
                throw ctx.error("step 0 on axis " + axis + " is not allowed");
            }
            long s = starts[i] < 0 ? starts[i] + d : starts[i];
            long e = ends[i] < 0 ? ends[i] + d : ends[i];
            if (ends[i] <= Long.MIN_VALUE + 1) {
                e = -1;
            }
            if (st > 0) {
                s = Math.max(0, Math.min(d, s));
                e = Math.max(0, Math.min(d, e));
                from[axis] = s;
                to[axis] = Math.max(s, e);
                step[axis] = st;
            } else {
                s = Math.max(-1, Math.min(d - 1, s));
                e = Math.max(-1, Math.min(d - 1, e));
                // in the flipped axis index i maps to d − 1 − i
                long fs = d - 1 - s;
                long fe = d - 1 - e;
                from[axis] = fs;
                to[axis] = Math.max(fs, fe);
                step[axis] = -st;
                flip[axis] = true;
            }
        }
        NDArray in = x;
        for (int a = 0; a < rank; a++) {
            if (flip[a]) {
                in = in.flip(a);
            }
        }
        NDIndex index = new NDIndex();
        for (int a = 0; a < rank; a++) {
            index.addSliceDim(from[a], to[a], step[a]);
        }
        return List.of(in.get(index));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

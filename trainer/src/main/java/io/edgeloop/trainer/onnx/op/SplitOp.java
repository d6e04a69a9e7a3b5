package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;

/** Split along {@code axis} into the node's outputs: by sizes (attribute before opset 13, input from 13) or equally. */
final class SplitOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "input");
        int axis = ctx.axis(ctx.attributes().getInt("axis", 0), x.getShape().dimension());
        long[] sizes;
        if (ctx.opset() >= 13) {
            NDArray s = OpContext.optional(inputs, 1);
            sizes = s == null ? null : TensorValues.longs(s);
        } else {
            sizes = ctx.attributes().getInts("split");
        }
        int outputs = ctx.node().outputs().size();
        long dim = x.getShape().get(axis);
        if (sizes == null) {
            long n = ctx.attributes().getInt("num_outputs", outputs);
            long chunk = (dim + n - 1) / n;
            sizes = new long[(int) n];
            long left = dim;
            for (int i = 0; i < n; i++) {
                sizes[i] = Math.min(chunk, left);
                left -= sizes[i];
            }
        }
        if (Arrays.stream(sizes).sum() != dim || sizes.length != outputs) {
            throw ctx.error("split sizes " + Arrays.toString(sizes) + " must sum to " + dim + " (axis " + axis
                    + ") with one size per output (" + outputs + ")");
        }
        long[] cuts = new long[sizes.length - 1];
        long at = 0;
        for (int i = 0; i < cuts.length; i++) {
            at += sizes[i];
            cuts[i] = at;
        }
        return x.split(cuts, axis);
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

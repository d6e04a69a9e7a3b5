package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Squeeze and Unsqueeze as reshapes. Axes are an attribute before opset 13 and an input from 13; Unsqueeze's negative
 * axes count from the output rank.
 */
final class SqueezeOp implements OnnxOp {

    private final boolean unsqueeze;

    SqueezeOp(boolean unsqueeze) {
        this.unsqueeze = unsqueeze;
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        long[] axes;
        if (ctx.opset() >= 13) {
            NDArray a = OpContext.optional(inputs, 1);
            axes = a == null ? null : TensorValues.longs(a);
        } else {
            axes = ctx.attributes().getInts("axes");
        }
        long[] in = x.getShape().getShape();
        if (unsqueeze) {
            if (axes == null) {
                throw ctx.error("axes are required");
            }
            int outRank = in.length + axes.length;
            boolean[] inserted = new boolean[outRank];
            for (long a : axes) {
                inserted[ctx.axis(a, outRank)] = true;
            }
            long[] out = new long[outRank];
            for (int i = 0, j = 0; i < outRank; i++) {
                out[i] = inserted[i] ? 1 : in[j++];
            }
            return List.of(x.reshape(out));
        }
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = ctx.axis(a, in.length);
                if (in[ax] != 1) {
                    throw ctx.error("cannot squeeze axis " + a + " of shape " + Arrays.toString(in)
                            + ": its size is not 1");
                }
                drop[ax] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!drop[i]) {
                out.add(in[i]);
            }
        }
        return List.of(x.reshape(out.stream().mapToLong(Long::longValue).toArray()));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

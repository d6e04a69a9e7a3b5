package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Pad (constant, edge, reflect); pads/value as attributes before opset 11, inputs from 11; negative pads crop. */
final class PadOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        int rank = x.getShape().dimension();
        long[] pads;
        double value;
        if (ctx.opset() < 11) {
            pads = ctx.attributes().getInts("pads");
            value = ctx.attributes().getFloat("value", 0f);
        } else {
            pads = TensorValues.longs(ctx.required(inputs, 1, "pads"));
            NDArray v = OpContext.optional(inputs, 2);
            value = v == null ? 0 : TensorValues.scalar(v);
            if (OpContext.optional(inputs, 3) != null) {
                throw ctx.error("the axes input (opset 18) is not supported");
            }
        }
        if (pads == null || pads.length != 2 * rank) {
            throw ctx.error("pads " + Arrays.toString(pads) + " must have " + 2 * rank + " values for input shape "
                    + x.getShape());
        }
        String mode = ctx.attributes().getString("mode", "constant");
        Padding.Mode m;
        switch (mode) {
            case "constant":
                m = Padding.Mode.CONSTANT;
                break;
            case "edge":
                m = Padding.Mode.EDGE;
                break;
            case "reflect":
                m = Padding.Mode.REFLECT;
                break;
            default:
                throw ctx.error("mode '" + mode + "' is not supported (allowed: constant, edge, reflect)");
        }
        long[] begin = Arrays.copyOfRange(pads, 0, rank);
        long[] end = Arrays.copyOfRange(pads, rank, 2 * rank);
        try {
            return List.of(Padding.pad(x, begin, end, m, value));
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Conv (1-D/2-D/3-D, groups, dilations, auto_pad). Symmetric pads go to the engine's convolution; asymmetric pads
 * are applied explicitly first (the engine only takes symmetric ones).
 */
final class ConvOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        NDArray w = ctx.required(inputs, 1, "W");
        NDArray b = OpContext.optional(inputs, 2);
        long[] xs = x.getShape().getShape();
        long[] ws = w.getShape().getShape();
        int n = xs.length - 2;
        if (n < 1 || ws.length != xs.length) {
            throw ctx.error("input shape " + x.getShape() + " and weight shape " + w.getShape()
                    + " do not match (expected N×C×spatial and M×C/group×kernel)");
        }
        long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        long[] declared = ctx.attributes().getInts("kernel_shape");
        if (declared != null && !Arrays.equals(declared, kernel)) {
            throw ctx.error("kernel_shape " + Arrays.toString(declared) + " differs from the weight's "
                    + Arrays.toString(kernel));
        }
        long group = ctx.attributes().getInt("group", 1);
        if (xs[1] != ws[1] * group) {
            throw ctx.error("input has " + xs[1] + " channels, weight expects " + ws[1] + " × group " + group);
        }
        SpatialGeometry g = SpatialGeometry.of(ctx, Arrays.copyOfRange(xs, 2, xs.length), kernel);
        long[] pad = g.padBegin;
        NDArray in = x;
        if (!g.symmetricPads()) {
            long[] begin = new long[xs.length];
            long[] end = new long[xs.length];
            System.arraycopy(g.padBegin, 0, begin, 2, n);
            System.arraycopy(g.padEnd, 0, end, 2, n);
            in = Padding.pad(x, begin, end, Padding.Mode.CONSTANT, 0);
            pad = new long[n];
        }
        NDArray y = in.getNDArrayInternal().convolution(in, w, b, new Shape(g.strides), new Shape(pad),
                new Shape(g.dilations), (int) group).singletonOrThrow();
        return List.of(y);
    }
}

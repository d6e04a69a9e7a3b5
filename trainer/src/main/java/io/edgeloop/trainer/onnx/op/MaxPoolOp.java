package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * MaxPool. Symmetric pads up to half the kernel without dilation go straight to the engine (its ceil mode matches ONNX
 * Runtime). Otherwise the input is padded with −∞ to exactly cover the ONNX output windows and the maximum is taken
 * over strided slices, one per kernel offset: the engine rejects asymmetric pads, pads above k/2 and dilations.
 */
final class MaxPoolOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        if (ctx.node().outputs().size() > 1 && !ctx.node().outputs().get(1).isEmpty()) {
            throw ctx.error("the Indices output is not supported");
        }
        if (ctx.attributes().getInt("storage_order", 0) != 0) {
            throw ctx.error("storage_order 1 is not supported (allowed: 0)");
        }
        long[] xs = x.getShape().getShape();
        long[] spatial = Arrays.copyOfRange(xs, 2, xs.length);
        long[] kernel = ctx.attributes().getInts("kernel_shape");
        if (kernel == null || kernel.length != spatial.length) {
            throw ctx.error("attribute 'kernel_shape' " + Arrays.toString(kernel) + " must have "
                    + spatial.length + " values for input shape " + x.getShape());
        }
        SpatialGeometry g = SpatialGeometry.of(ctx, spatial, kernel);
        boolean smallPads = true;
        for (int i = 0; i < kernel.length; i++) {
            smallPads &= g.padBegin[i] <= kernel[i] / 2;
        }
        if (g.symmetricPads() && smallPads && g.unitDilation()) {
            return List.of(x.getNDArrayInternal().maxPool(new Shape(kernel), new Shape(g.strides),
                    new Shape(g.padBegin), g.ceil));
        }
        long[] out = g.outputSize(spatial);
        long[] begin = new long[xs.length];
        long[] end = new long[xs.length];
        for (int i = 0; i < spatial.length; i++) {
            long needed = (out[i] - 1) * g.strides[i] + (kernel[i] - 1) * g.dilations[i] + 1;
            begin[i + 2] = g.padBegin[i];
            end[i + 2] = needed - spatial[i] - g.padBegin[i];
        }
        NDArray padded = Padding.pad(x, begin, end, Padding.Mode.CONSTANT, Double.NEGATIVE_INFINITY);
        if (g.unitDilation()) {
            return List.of(padded.getNDArrayInternal().maxPool(new Shape(kernel), new Shape(g.strides),
                    new Shape(new long[kernel.length]), false));
        }
        NDArray acc = null;
        long[] offset = new long[kernel.length];
        long windows = TensorValues.product(kernel, 0, kernel.length);
        for (long w = 0; w < windows; w++) {
            long rest = w;
            for (int i = kernel.length - 1; i >= 0; i--) {
                offset[i] = rest % kernel[i];
                rest /= kernel[i];
            }
            NDIndex index = new NDIndex().addAllDim().addAllDim();
            for (int i = 0; i < kernel.length; i++) {
                long start = offset[i] * g.dilations[i];
                index.addSliceDim(start, start + (out[i] - 1) * g.strides[i] + 1, g.strides[i]);
            }
            NDArray slice = padded.get(index);
            acc = acc == null ? slice : acc.maximum(slice);
        }
        return List.of(acc);
    }
}

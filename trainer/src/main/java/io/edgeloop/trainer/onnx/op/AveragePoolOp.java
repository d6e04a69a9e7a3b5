package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * AveragePool. The engine's average pool always counts padding and divides ceil-mode edge windows by their clipped
 * size, so the input is zero-padded to exactly cover the ONNX output windows and pooled without padding (sum / kernel
 * size, which is ONNX Runtime's count_include_pad=1 result); for count_include_pad=0 that is divided by the same pool
 * of a mask of ones over the real input.
 */
final class AveragePoolOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        long[] xs = x.getShape().getShape();
        long[] spatial = Arrays.copyOfRange(xs, 2, xs.length);
        long[] kernel = ctx.attributes().getInts("kernel_shape");
        if (kernel == null || kernel.length != spatial.length) {
            throw ctx.error("attribute 'kernel_shape' " + Arrays.toString(kernel) + " must have "
                    + spatial.length + " values for input shape " + x.getShape());
        }
        SpatialGeometry g = SpatialGeometry.of(ctx, spatial, kernel);
        if (!g.unitDilation()) {
            throw ctx.error("dilations " + Arrays.toString(g.dilations) + " are not supported (allowed: all 1)");
        }
        boolean countPad = ctx.attributes().getInt("count_include_pad", 0) != 0;
        Shape k = new Shape(kernel);
        Shape s = new Shape(g.strides);
        Shape zero = new Shape(new long[kernel.length]);
        boolean noPads = Arrays.stream(g.padBegin).allMatch(p -> p == 0)
                && Arrays.stream(g.padEnd).allMatch(p -> p == 0);
        if (noPads && !g.ceil) {
            return List.of(x.getNDArrayInternal().avgPool(k, s, zero, false, true));
        }
        long[] out = g.outputSize(spatial);
        long[] begin = new long[xs.length];
        long[] end = new long[xs.length];
        for (int i = 0; i < spatial.length; i++) {
            long needed = (out[i] - 1) * g.strides[i] + kernel[i];
            begin[i + 2] = g.padBegin[i];
            end[i + 2] = needed - spatial[i] - g.padBegin[i];
        }
        NDArray padded = Padding.pad(x, begin, end, Padding.Mode.CONSTANT, 0);
        NDArray mean = padded.getNDArrayInternal().avgPool(k, s, zero, false, true);
        if (countPad) {
            // ONNX Runtime divides every window by the full kernel size, also ceil-mode windows that overhang
            // the declared padding (measured: the engine's clipped divisor differs by up to 1.4 there)
            return List.of(mean);
        }
        long[] maskDims = xs.clone();
        maskDims[0] = 1;
        maskDims[1] = 1;
        try (NDArray ones = ctx.manager().ones(new Shape(maskDims), DataType.FLOAT32)) {
            NDArray mask = Padding.pad(ones, begin, end, Padding.Mode.CONSTANT, 0);
            NDArray count = mask.getNDArrayInternal().avgPool(k, s, zero, false, true);
            return List.of(mean.div(count));
        }
    }
}

package io.edgeloop.trainer.onnx.op;

import java.util.Arrays;

/**
 * Kernel, strides, dilations and begin/end pads of a Conv or pooling node, with {@code auto_pad} resolved against the
 * input's spatial size, and the ONNX output size (floor or ceil mode).
 */
final class SpatialGeometry {

    final long[] kernel;
    final long[] strides;
    final long[] dilations;
    final long[] padBegin;
    final long[] padEnd;
    final boolean ceil;

    private SpatialGeometry(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd,
            boolean ceil) {
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.padBegin = padBegin;
        this.padEnd = padEnd;
        this.ceil = ceil;
    }

    /**
     * @param spatial the input's spatial dims (H, W, …)
     * @param kernel the kernel's spatial dims (from the attribute or the weight)
     */
    static SpatialGeometry of(OpContext ctx, long[] spatial, long[] kernel) {
        int n = spatial.length;
        long[] strides = orDefault(ctx, "strides", n, 1);
        long[] dilations = orDefault(ctx, "dilations", n, 1);
        boolean ceil = ctx.attributes().getInt("ceil_mode", 0) != 0;
        String autoPad = ctx.attributes().getString("auto_pad", "NOTSET");
        long[] begin = new long[n];
        long[] end = new long[n];
        switch (autoPad) {
            case "NOTSET":
                long[] pads = ctx.attributes().getInts("pads");
                if (pads != null) {
                    if (pads.length != 2 * n) {
                        throw ctx.error("attribute 'pads' has " + pads.length + " values " + Arrays.toString(pads)
                                + ", expected " + 2 * n);
                    }
                    System.arraycopy(pads, 0, begin, 0, n);
                    System.arraycopy(pads, n, end, 0, n);
                }
                break;
            case "VALID":
                break;
            case "SAME_UPPER":
            case "SAME_LOWER":
                for (int i = 0; i < n; i++) {
                    long out = (spatial[i] + strides[i] - 1) / strides[i];
                    long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - spatial[i]);
                    long small = total / 2;
                    begin[i] = "SAME_UPPER".equals(autoPad) ? small : total - small;
                    end[i] = total - begin[i];
                }
                break;
            default:
                throw ctx.error("auto_pad '" + autoPad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
        return new SpatialGeometry(kernel, strides, dilations, begin, end, ceil);
    }

    private static long[] orDefault(OpContext ctx, String name, int n, long value) {
        long[] v = ctx.attributes().getInts(name);
        if (v == null) {
            v = new long[n];
            Arrays.fill(v, value);
        } else if (v.length != n) {
            throw ctx.error("attribute '" + name + "' has " + v.length + " values " + Arrays.toString(v)
                    + ", expected " + n);
        }
        return v;
    }

    /** Output spatial size as ONNX Runtime computes it (ceil mode drops a window starting in the end padding). */
    long[] outputSize(long[] spatial) {
        long[] out = new long[spatial.length];
        for (int i = 0; i < spatial.length; i++) {
            long span = spatial[i] + padBegin[i] + padEnd[i] - ((kernel[i] - 1) * dilations[i] + 1);
            long o = (ceil ? Math.floorDiv(span + strides[i] - 1, strides[i]) : Math.floorDiv(span, strides[i])) + 1;
            if (ceil && (o - 1) * strides[i] >= spatial[i] + padBegin[i]) {
                o--;
            }
            out[i] = o;
        }
        return out;
    }

    boolean symmetricPads() {
        return Arrays.equals(padBegin, padEnd);
    }

    boolean unitDilation() {
        return Arrays.stream(dilations).allMatch(d -> d == 1);
    }
}

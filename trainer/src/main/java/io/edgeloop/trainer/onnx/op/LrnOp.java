package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * LRN (local response normalisation across channels, AlexNet / CaffeNet / GoogLeNet): {@code y = x / (bias +
 * alpha / size · Σ x²)^beta}, the sum over channels {@code c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉} clipped to the
 * tensor. DJL has no LRN: the squares are zero-padded on the channel axis and the window is summed from {@code size}
 * shifted slices (differentiable). Even sizes are refused like ONNX Runtime refuses them.
 */
final class LrnOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        long size = ctx.attributes().getInt("size", -1);
        if (!ctx.attributes().has("size") || size < 1 || size % 2 == 0) {
            // the spec allows even sizes (window one wider after the channel), but ONNX Runtime refuses them:
            // such a model could not run on the devices
            throw ctx.error("attribute 'size' is " + (ctx.attributes().has("size") ? size : "missing")
                    + "; allowed: an odd number ≥ 1 (ONNX Runtime rejects even sizes)");
        }
        int rank = x.getShape().dimension();
        if (rank < 3) {
            throw ctx.error("input shape " + x.getShape() + " has rank " + rank + "; LRN needs N×C×D1×… (rank ≥ 3)");
        }
        float alpha = ctx.attributes().getFloat("alpha", 1e-4f);
        float beta = ctx.attributes().getFloat("beta", 0.75f);
        float bias = ctx.attributes().getFloat("bias", 1f);
        long channels = x.getShape().get(1);
        long[] begin = new long[rank];
        long[] end = new long[rank];
        begin[1] = (size - 1) / 2;
        end[1] = size - 1 - begin[1];
        NDArray squares = Padding.pad(x.mul(x), begin, end, Padding.Mode.CONSTANT, 0);
        NDArray sum = null;
        for (long i = 0; i < size; i++) {
            NDArray window = squares.get(NDIndex.sliceAxis(1, i, i + channels));
            sum = sum == null ? window : sum.add(window);
        }
        NDArray denominator = sum.mul(ScalarTensor.of(ctx.manager(), alpha / size))
                .add(ScalarTensor.of(ctx.manager(), bias)).pow(ScalarTensor.of(ctx.manager(), beta));
        return List.of(x.div(denominator));
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** GlobalAveragePool and GlobalMaxPool over all spatial axes, keeping them as size 1 (N×C×1×1). */
final class GlobalPoolOp implements OnnxOp {

    private final boolean max;

    GlobalPoolOp(boolean max) {
        this.max = max;
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        int rank = x.getShape().dimension();
        int[] axes = new int[rank - 2];
        long n = 1;
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
            n *= x.getShape().get(i + 2);
        }
        if (max) {
            // the engine's max reduces one axis at a time: flatten the spatial axes first
            long[] kept = new long[rank];
            kept[0] = x.getShape().get(0);
            kept[1] = x.getShape().get(1);
            for (int i = 2; i < rank; i++) {
                kept[i] = 1;
            }
            return List.of(x.reshape(kept[0], kept[1], n).max(new int[] {2}).reshape(kept));
        }
        return List.of(x.sum(axes, true).div(ScalarTensor.of(ctx.manager(), (float) n)));
    }
}

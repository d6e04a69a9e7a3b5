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
            return List.of(x.max(axes, true));
        }
        return List.of(x.sum(axes, true).div(ScalarTensor.of(ctx.manager(), (float) n)));
    }
}

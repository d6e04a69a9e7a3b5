package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;

/** Reshape; a 0 copies the input's dim (unless allowzero), −1 is inferred. The engine rejects 0 itself. */
final class ReshapeOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        long[] shape;
        if (ctx.opset() < 5) {
            shape = ctx.attributes().getInts("shape");
        } else {
            shape = TensorValues.longs(ctx.required(inputs, 1, "shape"));
        }
        long[] target = shape.clone();
        boolean allowZero = ctx.attributes().getInt("allowzero", 0) != 0;
        long[] in = x.getShape().getShape();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    throw ctx.error("shape " + Arrays.toString(shape) + " copies dim " + i + " of input shape "
                            + x.getShape() + ", which does not exist");
                }
                target[i] = in[i];
            }
        }
        return List.of(x.reshape(target));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}

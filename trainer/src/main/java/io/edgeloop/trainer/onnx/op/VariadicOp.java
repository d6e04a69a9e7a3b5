package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Sum, Max, Min and Mean over any number of inputs with broadcasting (opset 8+; before 8 the inputs must have equal
 * shapes, a special case). Caffe2 exports join residual branches with {@code Sum}.
 */
final class VariadicOp implements OnnxOp {

    private final BinaryOperator<NDArray> combine;
    private final boolean mean;

    private VariadicOp(BinaryOperator<NDArray> combine, boolean mean) {
        this.combine = combine;
        this.mean = mean;
    }

    static VariadicOp sum() {
        return new VariadicOp(NDArray::add, false);
    }

    static VariadicOp max() {
        return new VariadicOp(NDArray::maximum, false);
    }

    static VariadicOp min() {
        return new VariadicOp(NDArray::minimum, false);
    }

    static VariadicOp mean() {
        return new VariadicOp(NDArray::add, true);
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray acc = null;
        int count = 0;
        for (int i = 0; i < inputs.size(); i++) {
            NDArray a = ctx.required(inputs, i, "data_" + i);
            acc = acc == null ? a : combine.apply(acc, a);
            count++;
        }
        if (acc == null) {
            throw ctx.error("needs at least one input, got none");
        }
        if (mean && count > 1) {
            acc = acc.div(ScalarTensor.of(ctx.manager(), count));
        }
        return List.of(acc);
    }
}

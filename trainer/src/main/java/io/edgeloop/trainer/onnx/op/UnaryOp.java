package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.function.UnaryOperator;

/** Element-wise functions without attributes: Relu, Sigmoid, Tanh, Erf, Exp, Neg, Abs, Sqrt, HardSwish. */
final class UnaryOp implements OnnxOp {

    private final UnaryOperator<NDArray> function;

    private UnaryOp(UnaryOperator<NDArray> function) {
        this.function = function;
    }

    static UnaryOp relu() {
        return new UnaryOp(Activation::relu);
    }

    static UnaryOp sigmoid() {
        return new UnaryOp(Activation::sigmoid);
    }

    static UnaryOp tanh() {
        return new UnaryOp(NDArray::tanh);
    }

    static UnaryOp erf() {
        return new UnaryOp(NDArray::erf);
    }

    static UnaryOp exp() {
        return new UnaryOp(NDArray::exp);
    }

    static UnaryOp neg() {
        return new UnaryOp(NDArray::neg);
    }

    static UnaryOp abs() {
        return new UnaryOp(NDArray::abs);
    }

    static UnaryOp sqrt() {
        return new UnaryOp(NDArray::sqrt);
    }

    /** x · clip(x/6 + 1/2, 0, 1); DJL has no HardSwish. */
    static UnaryOp hardSwish() {
        return new UnaryOp(x -> x.mul(x.mul(1f / 6f).add(0.5f).clip(0f, 1f)));
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        return List.of(function.apply(ctx.required(inputs, 0, "X")));
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.function.BiFunction;

/** Element-wise functions without attributes: Relu, Sigmoid, Tanh, Erf, Exp, Neg, Abs, Sqrt, HardSwish. */
final class UnaryOp implements OnnxOp {

    private final BiFunction<NDArray, NDManager, NDArray> function;

    private UnaryOp(BiFunction<NDArray, NDManager, NDArray> function) {
        this.function = function;
    }

    private static UnaryOp of(java.util.function.UnaryOperator<NDArray> f) {
        return new UnaryOp((x, manager) -> f.apply(x));
    }

    static UnaryOp relu() {
        return of(Activation::relu);
    }

    static UnaryOp sigmoid() {
        return of(Activation::sigmoid);
    }

    static UnaryOp tanh() {
        return of(NDArray::tanh);
    }

    static UnaryOp erf() {
        return of(NDArray::erf);
    }

    static UnaryOp exp() {
        return of(NDArray::exp);
    }

    static UnaryOp neg() {
        return of(NDArray::neg);
    }

    static UnaryOp abs() {
        return of(NDArray::abs);
    }

    static UnaryOp sqrt() {
        return of(NDArray::sqrt);
    }

    /** x · clip(x/6 + 1/2, 0, 1); DJL has no HardSwish. */
    static UnaryOp hardSwish() {
        return new UnaryOp((x, m) -> x.mul(x.mul(ScalarTensor.of(m, 1f / 6f)).add(ScalarTensor.of(m, 0.5f))
                .clip(0f, 1f)));
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        return List.of(function.apply(ctx.required(inputs, 0, "X"), ctx.manager()));
    }
}

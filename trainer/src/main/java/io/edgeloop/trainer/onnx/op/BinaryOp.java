package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.BinaryOperator;

/** Broadcasting element-wise Add, Sub, Mul, Div, Pow. Integer division truncates like ONNX Runtime. */
final class BinaryOp implements OnnxOp {

    private final BinaryOperator<NDArray> function;

    private BinaryOp(BinaryOperator<NDArray> function) {
        this.function = function;
    }

    static BinaryOp add() {
        return new BinaryOp(NDArray::add);
    }

    static BinaryOp sub() {
        return new BinaryOp(NDArray::sub);
    }

    static BinaryOp mul() {
        return new BinaryOp(NDArray::mul);
    }

    static BinaryOp div() {
        return new BinaryOp(NDArray::div);
    }

    static BinaryOp pow() {
        return new BinaryOp(NDArray::pow);
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray a = ctx.required(inputs, 0, "A");
        NDArray b = ctx.required(inputs, 1, "B");
        NDArray y = function.apply(a, b);
        DataType in = a.getDataType();
        if (in.isInteger() && y.getDataType() != in) {
            // the engine promotes int64/int64 division to float; ONNX keeps the type and truncates
            NDArray cast = y.toType(in, false);
            y.close();
            y = cast;
        }
        return List.of(y);
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.NodeAttributes;
import io.edgeloop.trainer.onnx.TensorProtos;
import java.util.List;

/** Constant (value / value_float(s) / value_int(s)) and ConstantOfShape. */
final class ConstantOp implements OnnxOp {

    private final boolean ofShape;

    ConstantOp(boolean ofShape) {
        this.ofShape = ofShape;
    }

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NodeAttributes at = ctx.attributes();
        OnnxMl.TensorProto value = at.getTensor("value");
        if (ofShape) {
            long[] shape = TensorValues.longs(ctx.required(inputs, 0, "input"));
            if (value == null) {
                return List.of(ctx.manager().zeros(new Shape(shape), DataType.FLOAT32));
            }
            try (NDArray v = TensorProtos.toNDArray(value, ctx.manager())) {
                NDArray out = ctx.manager().zeros(new Shape(shape), v.getDataType());
                return List.of(out.add(v.reshape()).toType(v.getDataType(), false));
            }
        }
        if (value != null) {
            return List.of(TensorProtos.toNDArray(value, ctx.manager()));
        }
        if (at.has("value_float")) {
            return List.of(ctx.manager().create(at.getFloat("value_float", 0f)));
        }
        if (at.has("value_floats")) {
            return List.of(ctx.manager().create(at.getFloats("value_floats")));
        }
        if (at.has("value_int")) {
            return List.of(ctx.manager().create(at.getInt("value_int", 0)));
        }
        if (at.has("value_ints")) {
            return List.of(ctx.manager().create(at.getInts("value_ints")));
        }
        throw ctx.error("no supported value attribute (value, value_float(s), value_int(s)); has " + at.names());
    }

    @Override
    public boolean isDataInput(int index) {
        return false;
    }
}

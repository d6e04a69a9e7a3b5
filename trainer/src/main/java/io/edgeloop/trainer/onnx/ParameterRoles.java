package io.edgeloop.trainer.onnx;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.op.OnnxOp;

/** The role of an initializer by the slot it feeds: Conv/Gemm weight and bias, BatchNorm γ/β/statistics, etc. */
final class ParameterRoles {

    private ParameterRoles() {
    }

    /**
     * True when initializer {@code t} at input {@code inputIndex} of {@code node} becomes a DJL parameter (trainable,
     * or a BatchNorm statistic): a float tensor at a data input, except scalar constants of arithmetic (GELU's 0.5).
     * The one rule both {@link OnnxGraphBlock} (which makes the parameters) and {@link InitializerUntier} (which gives
     * each such slot its own initializer) follow.
     */
    static boolean isParameter(OnnxNode node, OnnxOp op, int inputIndex, OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE || !op.isDataInput(inputIndex)) {
            return false;
        }
        return TensorProtos.shape(t).size() > 1 || type(node, inputIndex) != Parameter.Type.OTHER;
    }

    static Parameter.Type type(OnnxNode node, int inputIndex) {
        switch (node.opType()) {
            case "Conv":
            case "Gemm":
                return inputIndex == 1 ? Parameter.Type.WEIGHT : inputIndex == 2 ? Parameter.Type.BIAS
                        : Parameter.Type.OTHER;
            case "MatMul":
                return Parameter.Type.WEIGHT;
            case "BatchNormalization":
                switch (inputIndex) {
                    case 1:
                        return Parameter.Type.GAMMA;
                    case 2:
                        return Parameter.Type.BETA;
                    case 3:
                        return Parameter.Type.RUNNING_MEAN;
                    case 4:
                        return Parameter.Type.RUNNING_VAR;
                    default:
                        return Parameter.Type.OTHER;
                }
            case "LayerNormalization":
                return inputIndex == 1 ? Parameter.Type.GAMMA : Parameter.Type.BETA;
            default:
                return Parameter.Type.OTHER;
        }
    }

    /** True for the layers PARTIAL counts when it freezes a fraction of the backbone. */
    static boolean isWeightLayer(OnnxNode node, OnnxGraphBlock block) {
        String op = node.opType();
        if (!"Conv".equals(op) && !"Gemm".equals(op) && !"MatMul".equals(op)) {
            return false;
        }
        for (String in : node.inputs()) {
            Parameter p = block.parametersByInitializer().get(in);
            if (p != null && p.getType() == Parameter.Type.WEIGHT) {
                return true;
            }
        }
        return false;
    }
}

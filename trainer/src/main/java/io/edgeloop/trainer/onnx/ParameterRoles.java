package io.edgeloop.trainer.onnx;

import ai.djl.nn.Parameter;

/** The role of an initializer by the slot it feeds: Conv/Gemm weight and bias, BatchNorm γ/β/statistics, etc. */
final class ParameterRoles {

    private ParameterRoles() {
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

package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;

/**
 * Rewrites a float16 (or mixed float16/float32) model into its float32 twin, which is what the network trains and
 * what is exported: FLOAT16 initializers and tensor attributes (Constant values) become FLOAT with the same values
 * (every half is exact in float32), graph inputs, outputs and value_info declared FLOAT16 become FLOAT, and Cast
 * nodes to FLOAT16 cast to FLOAT instead, so a cast between float types is a no-op that keeps the gradient. A
 * model without float16 is returned as it is. Why float32 and not float16 out: see {@link BasePrecision}.
 */
public final class Float16Widener {

    private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16_VALUE;
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

    private Float16Widener() {
    }

    /** The float32 twin of {@code model}. */
    public static OnnxMl.ModelProto widen(OnnxMl.ModelProto model) {
        if (!BasePrecision.of(model).hasFloat16() && model.getGraph().getValueInfoList().stream()
                .noneMatch(BasePrecision::isFloat16)) {
            return model;
        }
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getDataType() == FLOAT16) {
                g.setInitializer(i, TensorProtos.widened(g.getInitializer(i)));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            g.setNode(i, widen(g.getNode(i)));
        }
        for (int i = 0; i < g.getInputCount(); i++) {
            g.setInput(i, widen(g.getInput(i)));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, widen(g.getOutput(i)));
        }
        for (int i = 0; i < g.getValueInfoCount(); i++) {
            g.setValueInfo(i, widen(g.getValueInfo(i)));
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static OnnxMl.NodeProto widen(OnnxMl.NodeProto node) {
        OnnxMl.NodeProto.Builder b = node.toBuilder();
        for (int i = 0; i < b.getAttributeCount(); i++) {
            OnnxMl.AttributeProto a = b.getAttribute(i);
            if (a.hasT() && a.getT().getDataType() == FLOAT16) {
                b.setAttribute(i, a.toBuilder().setT(TensorProtos.widened(a.getT())));
            } else if ("Cast".equals(node.getOpType()) && "to".equals(a.getName()) && a.getI() == FLOAT16) {
                b.setAttribute(i, a.toBuilder().setI(FLOAT));
            }
        }
        return b.build();
    }

    private static OnnxMl.ValueInfoProto widen(OnnxMl.ValueInfoProto v) {
        if (!BasePrecision.isFloat16(v)) {
            return v;
        }
        OnnxMl.ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setElemType(FLOAT);
        return b.build();
    }
}

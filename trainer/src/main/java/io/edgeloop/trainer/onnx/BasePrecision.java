package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The element types a base model stores its numbers in, as far as they matter for training: how much of it is
 * float16 ({@code FLOAT16} initializers, Constant values, graph input/output, Cast nodes to FLOAT16). The importer
 * trains every float16 model in float32 ({@link Float16Widener}) and the exporter writes float32, because the edge
 * agent and the model card take float32 tensors only; this record says so to the user.
 *
 * @param float16Initializers initializers stored as FLOAT16
 * @param float16Values elements in those initializers
 * @param float16Constants Constant / ConstantOfShape nodes with a FLOAT16 value
 * @param castsToFloat16 Cast nodes with {@code to} = FLOAT16 (float32 no-ops after widening)
 * @param float16InputsOutputs graph inputs and outputs (initializer listings excluded) declared FLOAT16
 */
public record BasePrecision(int float16Initializers, long float16Values, int float16Constants, int castsToFloat16,
        int float16InputsOutputs) {

    /** A model with no float16 at all. */
    public static final BasePrecision FLOAT32 = new BasePrecision(0, 0, 0, 0, 0);

    private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16_VALUE;

    /** Counts the float16 parts of a model. */
    public static BasePrecision of(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto g = model.getGraph();
        int initializers = 0;
        long values = 0;
        Set<String> initializerNames = new HashSet<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            initializerNames.add(t.getName());
            if (t.getDataType() == FLOAT16) {
                initializers++;
                values += TensorProtos.shape(t).size();
            }
        }
        int constants = 0;
        int casts = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && a.getT().getDataType() == FLOAT16) {
                    constants++;
                }
                if ("Cast".equals(n.getOpType()) && "to".equals(a.getName()) && a.getI() == FLOAT16) {
                    casts++;
                }
            }
        }
        int io = 0;
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!initializerNames.contains(v.getName()) && isFloat16(v)) {
                io++;
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            if (isFloat16(v)) {
                io++;
            }
        }
        return new BasePrecision(initializers, values, constants, casts, io);
    }

    static boolean isFloat16(OnnxMl.ValueInfoProto v) {
        return v.getType().hasTensorType() && v.getType().getTensorType().getElemType() == FLOAT16;
    }

    /** True when any part of the model is float16. */
    public boolean hasFloat16() {
        return float16Initializers + float16Constants + castsToFloat16 + float16InputsOutputs > 0;
    }

    /**
     * For {@code inspect} and the import log: e.g. {@code float16 weights (trained in float32): 14 initializers,
     * 1,658 values; 2 Constant nodes; float16 graph input/output (fed and read as float32); 1 Cast node to FLOAT16
     * runs as a float32 no-op}; empty without float16.
     */
    public String describe() {
        if (!hasFloat16()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (float16Initializers > 0) {
            parts.add(String.format(Locale.ROOT, "%d initializers, %,d values", float16Initializers, float16Values));
        }
        if (float16Constants > 0) {
            parts.add(float16Constants + " Constant node" + (float16Constants == 1 ? "" : "s"));
        }
        if (float16InputsOutputs > 0) {
            parts.add("float16 graph input/output (fed and read as float32)");
        }
        if (castsToFloat16 > 0) {
            parts.add(castsToFloat16 == 1 ? "1 Cast node to FLOAT16 runs as a float32 no-op"
                    : castsToFloat16 + " Cast nodes to FLOAT16 run as float32 no-ops");
        }
        return (float16Initializers > 0 ? "float16 weights" : "float16 graph") + " (trained in float32): "
                + String.join("; ", parts);
    }
}

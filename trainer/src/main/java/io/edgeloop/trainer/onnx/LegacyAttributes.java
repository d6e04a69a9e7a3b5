package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Set;

/**
 * Attributes of operator versions older than the model's opset, which old converters (Caffe2's frontend, early
 * PyTorch and MXNet exporters) kept writing into files stamped opset 7–9. None of them exists in the operator
 * version the file declares, so {@code onnx.checker} rejects such files ("Unrecognized attribute"). Per attribute:
 * <ul>
 *   <li>{@code consumed_inputs} (in-place hints, gone with opset 6): no effect on the values, removed.</li>
 *   <li>{@code is_test} on Dropout / BatchNormalization (gone with opset 7): 1 means inference, which is what these
 *       operators do from opset 7 on: removed. 0 means the graph was exported in training mode (Dropout dropping,
 *       BatchNormalization using batch statistics at inference): refused.</li>
 *   <li>{@code spatial} on BatchNormalization at opset 9 and newer (BatchNormalization-9 dropped it): 1 is the only
 *       meaning left, removed; 0 (per-activation statistics, opset 7–8 only) refused.</li>
 *   <li>{@code broadcast} / {@code axis} on Add, Sub, Mul, Div (gone with opset 7, which broadcasts like numpy):
 *       {@code broadcast} 0 needs equal shapes, where both rules agree, removed with its {@code axis}; 1 aligns the
 *       second input at {@code axis}, which numpy broadcasting does not: refused.</li>
 * </ul>
 * Import runs on the cleaned model, so the export is a file {@code onnx.checker} accepts.
 */
public final class LegacyAttributes {

    private static final Set<String> IS_TEST_OPS = Set.of("Dropout", "BatchNormalization");
    private static final Set<String> LEGACY_BROADCAST_OPS = Set.of("Add", "Sub", "Mul", "Div");
    private static final int BATCH_NORM_WITHOUT_SPATIAL = 9;

    private LegacyAttributes() {
    }

    /**
     * The model without the leftovers that change nothing; an {@link OnnxImportException} naming the node, the
     * attribute, its value and what is allowed for one that would.
     */
    public static OnnxMl.ModelProto clean(OnnxMl.ModelProto model, int opset) {
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        List<String> names = NodeNames.assign(g.getNodeList());
        boolean changed = false;
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto node = g.getNode(i);
            OnnxMl.NodeProto cleaned = clean(node, node.getOpType() + " node '" + names.get(i) + "'", opset);
            if (cleaned != node) {
                g.setNode(i, cleaned);
                changed = true;
            }
        }
        return changed ? model.toBuilder().setGraph(g).build() : model;
    }

    private static OnnxMl.NodeProto clean(OnnxMl.NodeProto node, String described, int opset) {
        String op = node.getOpType();
        OnnxMl.NodeProto.Builder b = null;
        for (int i = node.getAttributeCount() - 1; i >= 0; i--) {
            OnnxMl.AttributeProto a = node.getAttribute(i);
            if (isLeftover(op, a.getName(), opset)) {
                requireNeutral(node, a, described, opset);
                if (b == null) {
                    b = node.toBuilder();
                }
                b.removeAttribute(i);
            }
        }
        return b == null ? node : b.build();
    }

    private static boolean isLeftover(String op, String attribute, int opset) {
        switch (attribute) {
            case "consumed_inputs":
                return true;
            case "is_test":
                return IS_TEST_OPS.contains(op);
            case "spatial":
                return "BatchNormalization".equals(op) && opset >= BATCH_NORM_WITHOUT_SPATIAL;
            case "broadcast":
            case "axis":
                return LEGACY_BROADCAST_OPS.contains(op);
            default:
                return false;
        }
    }

    private static void requireNeutral(OnnxMl.NodeProto node, OnnxMl.AttributeProto a, String described, int opset) {
        String prefix = described + ": attribute '" + a.getName() + "' (a leftover of opset < "
                + ("spatial".equals(a.getName()) ? BATCH_NORM_WITHOUT_SPATIAL : 7) + ", the model declares opset "
                + opset + ") is " + a.getI();
        switch (a.getName()) {
            case "is_test":
                if (a.getI() != 1) {
                    throw new OnnxImportException(prefix + ", which means the graph was exported in training mode;"
                            + " allowed: 1 (inference, what " + node.getOpType() + " does from opset 7 on); export"
                            + " the model in inference mode");
                }
                break;
            case "spatial":
                if (a.getI() != 1) {
                    throw new OnnxImportException(prefix + "; allowed: 1 (per-channel statistics, the only form"
                            + " from opset 9 on); per-activation statistics (spatial=0) exist at opset 7-8 only");
                }
                break;
            case "broadcast":
                if (a.getI() != 0) {
                    throw new OnnxImportException(prefix + ": the second input is aligned at 'axis', which opset "
                            + opset + "'s numpy broadcasting does not do; allowed: 0 (equal shapes); convert the model"
                            + " from the opset it was written for with onnx.version_converter");
                }
                break;
            default:
                break; // consumed_inputs never changes values; axis only matters with broadcast=1
        }
    }
}

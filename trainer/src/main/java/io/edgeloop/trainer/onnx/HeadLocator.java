package io.edgeloop.trainer.onnx;

import java.util.List;
import java.util.Set;

/**
 * Finds the classifier head of an imported graph: from the first graph output, looks back through Softmax,
 * LogSoftmax, Identity, Flatten, Reshape and Dropout to a Gemm, a MatMul + Add or a MatMul whose weight is an
 * initializer; its data input is the feature tensor. Alternatively cuts at a named node.
 */
public final class HeadLocator {

    private static final Set<String> PASS_THROUGH =
            Set.of("Softmax", "LogSoftmax", "Identity", "Flatten", "Reshape", "Dropout", "Squeeze");

    private HeadLocator() {
    }

    /** @param cutAt node name, or null to detect the head */
    public static HeadCut locate(OnnxGraph graph, String cutAt) {
        if (cutAt != null) {
            OnnxNode node = cutPoint(graph, cutAt);
            return new HeadCut(node.outputs().get(0), List.of(),
                    "cut at " + node.describe() + ", features '" + node.outputs().get(0) + "'");
        }
        String output = graph.outputNames().get(0);
        String tensor = output;
        OnnxNode node = graph.producer(tensor);
        while (node != null && PASS_THROUGH.contains(node.opType())) {
            tensor = node.input(0);
            node = graph.producer(tensor);
        }
        if (node != null) {
            if ("Gemm".equals(node.opType()) && graph.initializers().containsKey(node.input(1))) {
                return new HeadCut(node.input(0), List.of(node.name()), "head " + node.describe()
                        + ", features '" + node.input(0) + "'");
            }
            if ("MatMul".equals(node.opType()) && graph.initializers().containsKey(node.input(1))) {
                return new HeadCut(node.input(0), List.of(node.name()), "head " + node.describe()
                        + ", features '" + node.input(0) + "'");
            }
            if ("Add".equals(node.opType())) {
                for (int i = 0; i < 2; i++) {
                    OnnxNode mm = graph.producer(node.input(i));
                    String other = node.input(1 - i);
                    if (mm != null && "MatMul".equals(mm.opType()) && graph.initializers().containsKey(mm.input(1))
                            && graph.initializers().containsKey(other)) {
                        return new HeadCut(mm.input(0), List.of(mm.name(), node.name()), "head " + mm.describe()
                                + " + " + node.describe() + ", features '" + mm.input(0) + "'");
                    }
                }
            }
        }
        String from = node == null ? "the graph input" : node.describe();
        throw new OnnxImportException("no classifier head found: graph output '" + output + "' comes from " + from
                + ", not from a Gemm or MatMul(+Add) with initializer weights (looking through "
                + String.join("/", PASS_THROUGH.stream().sorted().toList())
                + "); name the node whose output is the feature tensor with --cut-at NODE ('trainer inspect' lists the"
                + " nodes)");
    }

    private static OnnxNode cutPoint(OnnxGraph graph, String cutAt) {
        try {
            return graph.node(cutAt);
        } catch (OnnxImportException e) {
            throw new OnnxImportException("--cut-at " + cutAt + ": " + e.getMessage() + "; 'trainer inspect' lists"
                    + " the nodes", e);
        }
    }
}

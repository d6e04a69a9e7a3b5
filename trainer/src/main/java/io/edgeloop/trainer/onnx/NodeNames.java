package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives every node of a graph a unique, stable, readable name, for {@code --cut-at}, {@code --freeze} and
 * {@code inspect}. A node keeps the name its file gives it. A node without one (Caffe2's frontend writes none) is
 * named after its first output, a tensor name the file already makes readable and unique, and one that does not
 * change when the exporter drops nodes the new head no longer needs (a position would). A name that is taken —
 * a file naming two nodes alike, or an unnamed node whose output is another node's name — gets {@code #2},
 * {@code #3}, … in graph order. The exported file keeps the names as they were (empty ones empty), so importing it
 * again gives the same names.
 */
final class NodeNames {

    private NodeNames() {
    }

    /** One name per node, in graph order. */
    static List<String> assign(List<OnnxMl.NodeProto> nodes) {
        Set<String> explicit = new HashSet<>();
        for (OnnxMl.NodeProto n : nodes) {
            if (!n.getName().isEmpty()) {
                explicit.add(n.getName());
            }
        }
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            OnnxMl.NodeProto n = nodes.get(i);
            String base = n.getName().isEmpty() ? generated(n, i) : n.getName();
            String name = base;
            boolean mayClaim = !n.getName().isEmpty() || !explicit.contains(base);
            for (int k = 2; !mayClaim || !taken.add(name); k++) {
                name = base + "#" + k;
                mayClaim = !explicit.contains(name);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static String generated(OnnxMl.NodeProto n, int index) {
        for (String out : n.getOutputList()) {
            if (!out.isEmpty()) {
                return out;
            }
        }
        return n.getOpType() + "_" + index;
    }
}

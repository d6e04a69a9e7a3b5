package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the classifier head of an imported graph. From the first graph output it looks back through Softmax,
 * LogSoftmax, Identity, Flatten, Reshape, Squeeze and Dropout to either
 * <ul>
 *   <li>a linear head: a Gemm, a MatMul + Add or a MatMul whose weight is an initializer; its data input is the
 *       feature tensor; or</li>
 *   <li>a convolutional head (SqueezeNet, the model zoo's Caffe2 files): global pooling (GlobalAveragePool,
 *       ReduceMean over H and W, or an AveragePool whose output the graph output shows to be 1 × 1), an optional
 *       Relu, and a Conv with an initializer weight whose output channels are the graph output's classes; the
 *       Conv's input, a spatial map, is the feature tensor.</li>
 * </ul>
 * Alternatively cuts at a named node. Works on the graph alone (no engine), so {@code inspect} uses it too.
 */
public final class HeadLocator {

    private static final Set<String> PASS_THROUGH =
            Set.of("Softmax", "LogSoftmax", "Identity", "Flatten", "Reshape", "Dropout", "Squeeze");
    private static final Set<String> POOLS = Set.of("GlobalAveragePool", "AveragePool", "ReduceMean");
    /** ReduceMean takes its axes as an input from this opset on (an attribute before). */
    private static final int REDUCE_MEAN_AXES_INPUT = 18;

    private HeadLocator() {
    }

    /** @param cutAt node name, or null to detect the head */
    public static HeadCut locate(OnnxGraph graph, String cutAt) {
        if (cutAt != null) {
            OnnxNode node = cutPoint(graph, cutAt);
            String features = node.outputs().get(0);
            return new HeadCut(HeadCut.Kind.CUT, features, List.of(), "cut at " + node.describe(),
                    declaredShape(graph, features));
        }
        String output = graph.outputNames().get(0);
        String tensor = output;
        OnnxNode node = graph.producer(tensor);
        while (node != null && PASS_THROUGH.contains(node.opType())) {
            tensor = node.input(0);
            node = graph.producer(tensor);
        }
        if (node != null) {
            HeadCut linear = linearHead(graph, node);
            if (linear != null) {
                return linear;
            }
            if (POOLS.contains(node.opType())) {
                return convHead(graph, output, node);
            }
        }
        String from = node == null ? "the graph input" : node.describe();
        throw notFound(output, from, "");
    }

    private static HeadCut linearHead(OnnxGraph graph, OnnxNode node) {
        if (("Gemm".equals(node.opType()) || "MatMul".equals(node.opType()))
                && graph.initializers().containsKey(node.input(1))) {
            return new HeadCut(HeadCut.Kind.LINEAR, node.input(0), List.of(node.name()), "head " + node.describe(),
                    "");
        }
        if ("Add".equals(node.opType())) {
            for (int i = 0; i < 2; i++) {
                OnnxNode mm = graph.producer(node.input(i));
                String other = node.input(1 - i);
                if (mm != null && "MatMul".equals(mm.opType()) && graph.initializers().containsKey(mm.input(1))
                        && graph.initializers().containsKey(other)) {
                    return new HeadCut(HeadCut.Kind.LINEAR, mm.input(0), List.of(mm.name(), node.name()),
                            "head " + mm.describe() + " + " + node.describe(), "");
                }
            }
        }
        return null;
    }

    /** Pooling → [Relu →] Conv, or the reason it is not a head. */
    private static HeadCut convHead(OnnxGraph graph, String output, OnnxNode pool) {
        String from = pool.describe();
        if ("ReduceMean".equals(pool.opType()) && !reducesHeightAndWidth(graph, pool)) {
            throw notFound(output, from, ", which does not reduce exactly axes 2 and 3 (H and W)");
        }
        OnnxNode relu = graph.producer(pool.input(0));
        OnnxNode conv = relu != null && "Relu".equals(relu.opType()) ? graph.producer(relu.input(0)) : relu;
        if (conv == relu) {
            relu = null;
        }
        if (conv == null || !"Conv".equals(conv.opType()) || !graph.initializers().containsKey(conv.input(1))) {
            String before = conv == null ? "the graph input" : conv.describe();
            throw notFound(output, from, " over " + before + ", not over a Conv with an initializer weight");
        }
        OnnxMl.TensorProto weight = graph.initializers().get(conv.input(1));
        if (weight.getDimsCount() != 4) {
            throw notFound(output, from, " over " + conv.describe() + " whose weight has "
                    + weight.getDimsCount() + " dims, not 4 (a 2-D convolution)");
        }
        long channels = weight.getDims(0);
        long classes = declaredClasses(graph, output);
        if (classes > 0 && classes != channels) {
            throw notFound(output, from, " over " + conv.describe() + " with " + channels
                    + " output channels, but the output has " + classes + " classes");
        }
        if ("AveragePool".equals(pool.opType()) && classes <= 0) {
            throw notFound(output, from, " whose kernel cannot be checked to cover the whole map (graph output '"
                    + output + "' declares no fixed shape)");
        }
        if (!onlyFeeds(graph, conv, relu, pool)) {
            throw notFound(output, from, " over " + conv.describe() + ", whose output is also used outside the"
                    + " head");
        }
        List<String> nodes = new ArrayList<>(List.of(conv.name()));
        StringBuilder found = new StringBuilder().append(weight.getDims(2)).append('×').append(weight.getDims(3))
                .append(" conv head ").append(conv.describe());
        if (relu != null) {
            nodes.add(relu.name());
            found.append(" + Relu");
        }
        nodes.add(pool.name());
        found.append(" + ").append(pool.opType());
        String features = conv.input(0);
        String shape = declaredShape(graph, features);
        if (shape.isEmpty()) {
            long group = conv.attributes().getInt("group", 1);
            shape = "[N, " + weight.getDims(1) * group + ", ?, ?]";
        }
        return new HeadCut(HeadCut.Kind.CONV, features, nodes, found.toString(), shape);
    }

    /** True when the conv head's intermediate tensors feed nothing outside the head. */
    private static boolean onlyFeeds(OnnxGraph graph, OnnxNode conv, OnnxNode relu, OnnxNode pool) {
        Set<Integer> head = new HashSet<>(List.of(conv.index(), pool.index()));
        if (relu != null) {
            head.add(relu.index());
        }
        List<String> inner = new ArrayList<>(List.of(conv.outputs().get(0)));
        if (relu != null) {
            inner.add(relu.outputs().get(0));
        }
        for (String t : inner) {
            if (graph.outputNames().contains(t)
                    || graph.consumers(t).stream().anyMatch(n -> !head.contains(n.index()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean reducesHeightAndWidth(OnnxGraph graph, OnnxNode reduce) {
        long[] axes;
        if (graph.opset() < REDUCE_MEAN_AXES_INPUT) {
            axes = reduce.attributes().has("axes") ? reduce.attributes().getInts("axes") : null;
        } else {
            OnnxMl.TensorProto t = graph.initializers().get(reduce.input(1));
            axes = t == null ? null : int64Values(t);
        }
        if (axes == null || axes.length != 2) {
            return false; // no axes: all of them, the channels too
        }
        Set<Long> normalised = new HashSet<>();
        for (long a : axes) {
            normalised.add(a < 0 ? a + 4 : a);
        }
        return normalised.equals(Set.of(2L, 3L));
    }

    private static long[] int64Values(OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.INT64_VALUE) {
            return null;
        }
        if (t.getInt64DataCount() > 0) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[raw.remaining() / Long.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = raw.getLong();
        }
        return v;
    }

    /** Product of the graph output's non-batch dims when all are fixed (10 for [N, 10, 1, 1]); -1 otherwise. */
    private static long declaredClasses(OnnxGraph graph, String output) {
        for (OnnxMl.ValueInfoProto v : graph.model().getGraph().getOutputList()) {
            if (v.getName().equals(output)) {
                List<OnnxMl.TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
                if (dims.size() < 2) {
                    return -1;
                }
                long product = 1;
                for (OnnxMl.TensorShapeProto.Dimension d : dims.subList(1, dims.size())) {
                    if (!d.hasDimValue() || d.getDimValue() <= 0) {
                        return -1;
                    }
                    product *= d.getDimValue();
                }
                return product;
            }
        }
        return -1;
    }

    /** The shape the file declares for {@code tensor} (value_info), e.g. "[N, 512, 13, 13]"; "" when none. */
    private static String declaredShape(OnnxGraph graph, String tensor) {
        OnnxMl.GraphProto g = graph.model().getGraph();
        List<OnnxMl.ValueInfoProto> all = new ArrayList<>(g.getValueInfoList());
        all.addAll(g.getOutputList());
        for (OnnxMl.ValueInfoProto v : all) {
            if (v.getName().equals(tensor) && v.getType().getTensorType().hasShape()) {
                List<OnnxMl.TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
                if (dims.isEmpty()) {
                    return "";
                }
                StringBuilder sb = new StringBuilder("[N");
                for (OnnxMl.TensorShapeProto.Dimension d : dims.subList(1, dims.size())) {
                    sb.append(", ").append(d.hasDimValue() ? Long.toString(d.getDimValue()) : "?");
                }
                return sb.append(']').toString();
            }
        }
        return "";
    }

    private static OnnxImportException notFound(String output, String from, String why) {
        return new OnnxImportException("no classifier head found: graph output '" + output + "' comes from " + from
                + why + ", not from a Gemm or MatMul(+Add) with initializer weights nor from a Conv → [Relu →] global"
                + " pooling head (looking through " + String.join("/", PASS_THROUGH.stream().sorted().toList())
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

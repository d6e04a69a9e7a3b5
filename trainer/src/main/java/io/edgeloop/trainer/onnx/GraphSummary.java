package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code trainer inspect} shows about an ONNX model, computed from the file alone (no engine): inputs and outputs
 * with shapes, opset, op histogram, parameter count (float initializer elements), the detected classifier head (a
 * linear or a convolutional one), its feature size and the new head {@code fit} would attach, the initializer
 * aliases and sharing the importer undoes, and the ops the importer does not support.
 *
 * @param graphName the graph's name
 * @param producer producer name and version
 * @param opset default-domain opset
 * @param inputs graph inputs (initializers excluded)
 * @param outputs graph outputs
 * @param opHistogram node count per op type, sorted by op type
 * @param nodeCount number of nodes
 * @param parameterCount float (FLOAT and FLOAT16) initializer elements (trainable weights and BatchNorm statistics)
 * @param head the detected head (nodes, feature tensor), or {@code null} when none was found
 * @param headProblem why no head was found, or {@code null}
 * @param featureSize features the new head's linear layer consumes (a conv head's map pooled: its channels), or -1
 *     when unknown
 * @param unsupportedOps op types the importer cannot run, empty when all are supported
 * @param sharing Identity aliases of initializers and shared initializers the import resolves and unties
 * @param precision how much of the model is float16 (trained and exported in float32)
 */
public record GraphSummary(String graphName, String producer, int opset, List<TensorInfo> inputs,
        List<TensorInfo> outputs, Map<String, Integer> opHistogram, int nodeCount, long parameterCount,
        HeadCut head, String headProblem, long featureSize, List<String> unsupportedOps,
        InitializerUntier.Sharing sharing, BasePrecision precision) {

    /** Compact constructor: copies the collections. */
    public GraphSummary {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opHistogram = Collections.unmodifiableMap(new TreeMap<>(opHistogram));
        unsupportedOps = List.copyOf(unsupportedOps);
    }

    /**
     * A named tensor with its element type and dims (a number, or the symbolic name, or "?").
     *
     * @param name tensor name
     * @param elementType ONNX element type, e.g. FLOAT
     * @param dims one entry per dim
     */
    public record TensorInfo(String name, String elementType, List<String> dims) {

        /** Compact constructor: copies the list. */
        public TensorInfo {
            dims = List.copyOf(dims);
        }

        static TensorInfo of(OnnxMl.ValueInfoProto v) {
            OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
            List<String> dims = new ArrayList<>();
            for (OnnxMl.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
                dims.add(d.hasDimValue() ? Long.toString(d.getDimValue())
                        : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
            }
            OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(t.getElemType());
            return new TensorInfo(v.getName(), type == null ? "type " + t.getElemType() : type.name(), dims);
        }

        @Override
        public String toString() {
            return name + " " + elementType + "[" + String.join("×", dims) + "]";
        }
    }

    /** Summarises a model. */
    public static GraphSummary of(OnnxMl.ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        InitializerUntier.Untied untied = InitializerUntier.untie(model);
        // the head is looked for where the import looks: with aliases resolved (a head weight may be one)
        OnnxGraph imported = untied.aliases().isEmpty() && untied.untied().isEmpty() ? graph
                : OnnxGraph.of(untied.model());
        OnnxMl.GraphProto g = model.getGraph();
        List<TensorInfo> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (graph.inputNames().contains(v.getName())) {
                inputs.add(TensorInfo.of(v));
            }
        }
        List<TensorInfo> outputs = g.getOutputList().stream().map(TensorInfo::of).toList();
        Map<String, Integer> histogram = new LinkedHashMap<>();
        for (OnnxNode n : graph.nodes()) {
            histogram.merge(n.opType(), 1, Integer::sum);
        }
        long params = 0;
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE
                    || t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT16_VALUE) {
                params += TensorProtos.shape(t).size();
            }
        }
        HeadCut head = null;
        String problem = null;
        long features = -1;
        try {
            head = HeadLocator.locate(imported, null);
            OnnxNode first = imported.node(head.oldHeadNodes().get(0));
            OnnxMl.TensorProto w = imported.initializers().get(first.input(1));
            long[] d = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (head.kind() == HeadCut.Kind.CONV) {
                // the default pooled head consumes the map's channels: the Conv's input channels
                features = d[1] * first.attributes().getInt("group", 1);
            } else {
                boolean transB = "Gemm".equals(first.opType()) && first.attributes().getInt("transB", 0) != 0;
                features = d.length == 2 ? (transB ? d[1] : d[0]) : -1;
            }
        } catch (OnnxImportException e) {
            problem = e.getMessage();
        }
        List<String> unsupported = histogram.keySet().stream()
                .filter(op -> !io.edgeloop.trainer.onnx.op.OpRegistry.standard().supported().contains(op)).sorted()
                .toList();
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new GraphSummary(g.getName(), producer, graph.opset(), inputs, outputs, histogram,
                graph.nodes().size(), params, head, problem, features, unsupported, untied.sharing(),
                BasePrecision.of(model));
    }

    /** A readable multi-line rendering. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("graph      ").append(graphName.isEmpty() ? "(unnamed)" : graphName)
                .append(producer.isEmpty() ? "" : " by " + producer).append(", opset ").append(opset).append('\n');
        inputs.forEach(i -> sb.append("input      ").append(i).append('\n'));
        outputs.forEach(o -> sb.append("output     ").append(o).append('\n'));
        sb.append("parameters ").append(String.format("%,d", parameterCount)).append(" float values in initializers")
                .append('\n');
        if (precision.hasFloat16()) {
            sb.append("precision  ").append(precision.describe()).append('\n');
        }
        sb.append("nodes      ").append(nodeCount).append(':');
        opHistogram.forEach((op, n) -> sb.append(' ').append(op).append('×').append(n));
        sb.append('\n');
        if (!sharing.none()) {
            sb.append("sharing    ").append(sharing).append(" on import (each layer trains its own copy)")
                    .append('\n');
        }
        if (head != null) {
            sb.append("head       ").append(head.description());
            if (featureSize > 0) {
                sb.append(", ").append(featureSize).append(" features");
            }
            sb.append('\n');
            sb.append("new head   ").append(newHead()).append('\n');
        } else {
            sb.append("head       not found: ").append(headProblem).append('\n');
        }
        sb.append("supported  ").append(unsupportedOps.isEmpty() ? "yes, every op can be imported"
                : "no, unsupported ops: " + String.join(", ", unsupportedOps)).append('\n');
        return sb.toString();
    }

    /**
     * What {@code fit} puts in place of the detected head by default (k: the data's classes), e.g. "linear 32 → k
     * classes, attached at '/Flatten_output_0'" or "global average pool [N, 512, ?, ?] → 512, linear 512 → k
     * classes, attached at '…' (--head-pool max|flatten to change the pooling)".
     */
    public String newHead() {
        if (head == null) {
            return "none until a head is found or named with --cut-at";
        }
        String linear = "linear " + (featureSize > 0 ? Long.toString(featureSize) : "?") + " → k classes";
        if (head.kind() != HeadCut.Kind.CONV) {
            return linear + ", attached at '" + head.featureTensor() + "'";
        }
        return HeadPool.AVG.label() + " " + head.featureShape() + " → " + featureSize + ", " + linear
                + ", attached at '" + head.featureTensor() + "' (--head-pool max|flatten to change the pooling)";
    }

    @Override
    public String toString() {
        return toText();
    }
}

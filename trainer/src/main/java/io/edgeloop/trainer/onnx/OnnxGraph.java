package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model read into what the importer needs: the default-domain opset, the nodes in order, the initializers by
 * name, the one image input and the outputs. Immutable; the original {@link OnnxMl.ModelProto} is kept for export.
 */
public final class OnnxGraph {

    /** Lowest default-domain opset accepted: ONNX Runtime's lowest (model zoo files go down to 3, torchvision to 7). */
    public static final int MIN_OPSET = 7;

    private final OnnxMl.ModelProto model;
    private final int opset;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxMl.TensorProto> initializers;
    private final List<String> inputNames;
    private final long[] inputDims;
    private final int inputElemType;
    private final List<String> outputNames;
    private final Map<String, OnnxNode> producers;
    private final Map<String, List<OnnxNode>> consumers;

    private OnnxGraph(OnnxMl.ModelProto model) {
        this.model = model;
        this.opset = defaultOpset(model);
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        this.initializers = Collections.unmodifiableMap(inits);
        List<OnnxMl.ValueInfoProto> realInputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!inits.containsKey(v.getName())) {
                realInputs.add(v);
            }
        }
        if (realInputs.isEmpty()) {
            throw new OnnxImportException("graph '" + g.getName() + "' has no input besides its initializers");
        }
        this.inputNames = realInputs.stream().map(OnnxMl.ValueInfoProto::getName).toList();
        this.inputDims = dims(realInputs.get(0));
        this.inputElemType = realInputs.get(0).getType().getTensorType().getElemType();
        this.outputNames = g.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
        List<OnnxNode> list = new ArrayList<>();
        Map<String, OnnxNode> prod = new LinkedHashMap<>();
        Map<String, List<OnnxNode>> cons = new LinkedHashMap<>();
        Set<String> available = new HashSet<>(inits.keySet());
        available.addAll(inputNames);
        List<String> nodeNames = NodeNames.assign(g.getNodeList());
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto p = g.getNode(i);
            if (!p.getDomain().isEmpty() && !"ai.onnx".equals(p.getDomain())) {
                throw new OnnxImportException(p.getOpType() + " node '" + p.getName() + "' is in domain '"
                        + p.getDomain() + "'; only the default ONNX domain is supported");
            }
            OnnxNode n = OnnxNode.of(i, p, nodeNames.get(i));
            for (String input : n.inputs()) {
                if (!input.isEmpty() && !available.contains(input)) {
                    throw new OnnxImportException(n.describe() + ": input '" + input
                            + "' is not produced by an earlier node, an initializer or the graph input"
                            + " (nodes must be in topological order)");
                }
                if (!input.isEmpty()) {
                    cons.computeIfAbsent(input, k -> new ArrayList<>()).add(n);
                }
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    prod.put(out, n);
                    available.add(out);
                }
            }
            list.add(n);
        }
        for (String out : outputNames) {
            if (!available.contains(out)) {
                throw new OnnxImportException("graph output '" + out + "' is not produced by any node");
            }
        }
        this.nodes = List.copyOf(list);
        this.producers = Collections.unmodifiableMap(prod);
        Map<String, List<OnnxNode>> frozen = new LinkedHashMap<>();
        cons.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.consumers = Collections.unmodifiableMap(frozen);
    }

    /** Reads and checks a model. */
    public static OnnxGraph of(OnnxMl.ModelProto model) {
        return new OnnxGraph(model);
    }

    /** Reads a {@code .onnx} file; errors name the file. */
    public static OnnxMl.ModelProto read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(in);
            if (!m.hasGraph()) {
                throw new OnnxImportException("file '" + file + "' is not an ONNX model: it has no graph");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            // the parser's own words ("invalid tag (zero)") mean nothing to a user: say what was expected
            throw new OnnxImportException(file + " is not an ONNX model: it does not parse as one; expected a .onnx"
                    + " file as written by torch.onnx.export, tf2onnx or 'trainer fit'", e);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read ONNX file '" + file + "': " + e, e);
        }
    }

    private static int defaultOpset(OnnxMl.ModelProto model) {
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || "ai.onnx".equals(o.getDomain())) {
                if (o.getVersion() < MIN_OPSET) {
                    throw new OnnxImportException("model opset " + o.getVersion() + " is not supported; need "
                            + MIN_OPSET + " or newer (ONNX Runtime runs opset 7 and newer); convert it up first,"
                            + " e.g. onnx.version_converter.convert_version(model, 9)");
                }
                return (int) o.getVersion();
            }
        }
        throw new OnnxImportException("model imports no default-domain opset");
    }

    private static long[] dims(OnnxMl.ValueInfoProto v) {
        OnnxMl.TensorShapeProto shape = v.getType().getTensorType().getShape();
        long[] d = new long[shape.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            OnnxMl.TensorShapeProto.Dimension dim = shape.getDim(i);
            d[i] = dim.hasDimValue() && dim.getDimValue() > 0 ? dim.getDimValue() : -1;
        }
        return d;
    }

    /** The model as read. */
    public OnnxMl.ModelProto model() {
        return model;
    }

    /** Default-domain opset version. */
    public int opset() {
        return opset;
    }

    /** Nodes in graph order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers by name, in file order. */
    public Map<String, OnnxMl.TensorProto> initializers() {
        return initializers;
    }

    /** Names of the graph inputs that are not initializers, in order. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Name of the first (image) input. */
    public String inputName() {
        return inputNames.get(0);
    }

    /** Declared dims of the first input; -1 where symbolic (e.g. a dynamic batch). */
    public long[] inputDims() {
        return inputDims.clone();
    }

    /**
     * Checks that the graph is an image classifier's: exactly one float input of rank 4 (N×C×H×W or N×H×W×C).
     */
    public void requireImageInput() {
        if (inputNames.size() != 1) {
            throw new OnnxImportException("graph has " + inputNames.size() + " inputs " + inputNames
                    + ", expected exactly one image input");
        }
        if (inputDims.length != 4) {
            throw new OnnxImportException("graph input '" + inputName() + "' has rank " + inputDims.length
                    + ", expected 4 (N×C×H×W or N×H×W×C)");
        }
        if (inputElemType != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxImportException("graph input '" + inputName() + "' has element type "
                    + OnnxMl.TensorProto.DataType.forNumber(inputElemType) + ", expected FLOAT");
        }
    }

    /** Graph output names. */
    public List<String> outputNames() {
        return outputNames;
    }

    /** The node producing {@code tensor}, or null for the input and initializers. */
    public OnnxNode producer(String tensor) {
        return producers.get(tensor);
    }

    /** Nodes consuming {@code tensor}, in graph order. */
    public List<OnnxNode> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    /** The node with this name, or an error listing a few names. */
    public OnnxNode node(String name) {
        for (OnnxNode n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        List<String> some = nodes.stream().map(OnnxNode::name).limit(8).toList();
        throw new OnnxImportException("no node named '" + name + "' in the graph (" + nodes.size()
                + " nodes, e.g. " + some + ")");
    }

    /** True when the graph input is N×H×W×C (Keras/tf2onnx), i.e. the last dim is 1 or 3 and dim 1 is not. */
    public boolean channelsLast() {
        return inputDims.length == 4 && (inputDims[3] == 3 || inputDims[3] == 1) && inputDims[1] != 3
                && inputDims[1] != 1;
    }

    /** The nodes needed to compute {@code tensors}, in graph order. */
    public List<OnnxNode> nodesFor(List<String> tensors) {
        Set<Integer> needed = new HashSet<>();
        List<String> stack = new ArrayList<>(tensors);
        while (!stack.isEmpty()) {
            String t = stack.remove(stack.size() - 1);
            OnnxNode p = producers.get(t);
            if (p != null && needed.add(p.index())) {
                for (String in : p.inputs()) {
                    if (!in.isEmpty()) {
                        stack.add(in);
                    }
                }
            }
        }
        return nodes.stream().filter(n -> needed.contains(n.index())).toList();
    }
}

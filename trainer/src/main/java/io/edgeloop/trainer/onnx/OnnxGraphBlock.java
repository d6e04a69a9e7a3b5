package io.edgeloop.trainer.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.op.OnnxOp;
import io.edgeloop.trainer.onnx.op.OpContext;
import io.edgeloop.trainer.onnx.op.OpRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A DJL block that runs (part of) an ONNX graph: the nodes needed for the requested output tensors execute as NDArray
 * operations in graph order. Float initializers at data inputs become {@link Parameter}s named after the initializer
 * (weights trainable; BatchNorm running statistics are parameters without gradient, updated in training mode). One
 * initializer read by several such inputs is one parameter here: {@link OnnxImporter} unties them first
 * ({@link InitializerUntier}) so each layer trains its own.
 * Everything else is constant: nodes computing only from constants are folded at import, nodes that depend on the
 * input only through its shape (Shape → Gather → Concat → Reshape chains) are evaluated once per input shape and
 * cached.
 *
 * <p>Per-batch arrays attach to the input's manager; temporaries of each node are closed right after it runs, and
 * each activation as soon as its last consumer has run (autograd keeps what backward needs on its own).
 */
public final class OnnxGraphBlock extends AbstractBlock {

    private static final int SHAPE_CACHE_ENTRIES = 8;

    private enum Kind { CONSTANT, SHAPE, DYNAMIC }

    private final OnnxGraph graph;
    private final List<String> outputs;
    private final List<OnnxNode> nodes;
    private final List<OnnxOp> ops;
    private final List<Kind> kinds;
    private final NDManager manager;
    private final Map<String, Parameter> byInitializer;
    private final Map<String, NDArray> constants;
    /** Copies of the constants on devices other than the manager's (replicas of a data-parallel step). */
    private final Map<Device, Map<String, NDArray>> constantsElsewhere = new HashMap<>();
    private final Map<List<Shape>, Map<String, NDArray>> shapeCache;
    private final boolean channelsLastInput;
    private final Set<Integer> inferenceNodes = new HashSet<>();
    /** Per node position: the tensors whose last consumer it is (freed after it runs, unless block outputs). */
    private final List<List<String>> lastUses;
    /**
     * Ops whose output is always fresh storage and whose backward does not read it: a sole last consumer may
     * overwrite it. (A view-returning op such as Reshape shares its input's storage; Sigmoid's backward reads its
     * output.)
     */
    private static final Set<String> FRESH_OUTPUT_OPS = Set.of("BatchNormalization", "Conv");
    /** Per node position and input index: the graph allows overwriting that input (see OpContext.mayOverwrite). */
    private final List<boolean[]> overwritable;

    /**
     * @param outputs tensors the block returns, in order
     * @param manager owns the parameters and constants (close it to release them)
     * @param channelsLastInput true to accept N×C×H×W images for a graph whose input is N×H×W×C (transposed here)
     */
    public OnnxGraphBlock(OnnxGraph graph, List<String> outputs, NDManager manager, boolean channelsLastInput) {
        this.graph = graph;
        this.channelsLastInput = channelsLastInput;
        this.outputs = List.copyOf(outputs);
        this.manager = manager;
        this.nodes = graph.nodesFor(outputs);
        OpRegistry registry = OpRegistry.standard();
        List<OnnxOp> list = new ArrayList<>();
        for (OnnxNode n : nodes) {
            list.add(registry.lookup(n));
        }
        this.ops = List.copyOf(list);
        this.byInitializer = createParameters();
        this.constants = new HashMap<>();
        for (Map.Entry<String, OnnxMl.TensorProto> e : graph.initializers().entrySet()) {
            if (!byInitializer.containsKey(e.getKey()) && isUsed(e.getKey())) {
                constants.put(e.getKey(), TensorProtos.toNDArray(e.getValue(), manager));
            }
        }
        this.kinds = classify();
        this.shapeCache = new LinkedHashMap<>(16, 0.75f, true);
        foldConstants();
        this.lastUses = lastUses();
        this.overwritable = overwritable();
    }

    /**
     * Input {@code i} of node {@code k} may be overwritten when node {@code k} is its last consumer, reads it once,
     * and a {@link #FRESH_OUTPUT_OPS} node of this block produced it (so it is no graph input, parameter or
     * constant); at run time it must also have no other live name (Identity aliases).
     */
    private List<boolean[]> overwritable() {
        Map<String, String> producerOp = new HashMap<>();
        for (OnnxNode n : nodes) {
            for (String out : n.outputs()) {
                producerOp.put(out, n.opType());
            }
        }
        List<boolean[]> list = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            List<String> inputs = nodes.get(k).inputs();
            boolean[] ok = new boolean[inputs.size()];
            for (int i = 0; i < ok.length; i++) {
                String name = inputs.get(i);
                ok[i] = !name.isEmpty() && lastUses.get(k).contains(name)
                        && Collections.frequency(inputs, name) == 1
                        && FRESH_OUTPUT_OPS.contains(producerOp.getOrDefault(name, ""))
                        && !constants.containsKey(name) && !byInitializer.containsKey(name);
            }
            list.add(ok);
        }
        return List.copyOf(list);
    }

    private boolean isUsed(String tensor) {
        for (OnnxNode n : nodes) {
            if (n.inputs().contains(tensor)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Parameter> createParameters() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        Map<String, OnnxMl.TensorProto> inits = graph.initializers();
        for (int k = 0; k < nodes.size(); k++) {
            OnnxNode n = nodes.get(k);
            OnnxOp op = ops.get(k);
            for (int i = 0; i < n.inputs().size(); i++) {
                String name = n.input(i);
                OnnxMl.TensorProto t = inits.get(name);
                if (t == null || map.containsKey(name) || !ParameterRoles.isParameter(n, op, i, t)) {
                    continue; // also scalar constants (e.g. GELU's 0.5): they stay constants
                }
                Parameter.Type type = ParameterRoles.type(n, i);
                boolean stat = type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
                Parameter p = Parameter.builder().setName(name).setType(type).optRequiresGrad(!stat)
                        .optArray(TensorProtos.toNDArray(t, manager)).build();
                map.put(name, addParameter(p));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private List<List<String>> lastUses() {
        Map<String, Integer> last = new HashMap<>();
        for (int k = 0; k < nodes.size(); k++) {
            for (String in : nodes.get(k).inputs()) {
                if (!in.isEmpty()) {
                    last.put(in, k);
                }
            }
        }
        List<List<String>> list = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            list.add(new ArrayList<>());
        }
        last.forEach((name, k) -> {
            if (!outputs.contains(name)) {
                list.get(k).add(name);
            }
        });
        return list.stream().map(List::copyOf).toList();
    }

    private List<Kind> classify() {
        Map<String, Kind> tensorKind = new HashMap<>();
        for (String c : constants.keySet()) {
            tensorKind.put(c, Kind.CONSTANT);
        }
        List<Kind> list = new ArrayList<>();
        for (OnnxNode n : nodes) {
            Kind kind;
            if ("Shape".equals(n.opType())) {
                kind = Kind.SHAPE;
            } else {
                kind = Kind.CONSTANT;
                for (String in : n.inputs()) {
                    if (in.isEmpty()) {
                        continue;
                    }
                    Kind k = tensorKind.getOrDefault(in, Kind.DYNAMIC);
                    if (k == Kind.DYNAMIC) {
                        kind = Kind.DYNAMIC;
                        break;
                    }
                    if (k == Kind.SHAPE) {
                        kind = Kind.SHAPE;
                    }
                }
                if ("Dropout".equals(n.opType()) || "BatchNormalization".equals(n.opType())) {
                    kind = Kind.DYNAMIC;
                }
            }
            for (String out : n.outputs()) {
                tensorKind.put(out, kind);
            }
            list.add(kind);
        }
        return List.copyOf(list);
    }

    private void foldConstants() {
        for (int k = 0; k < nodes.size(); k++) {
            if (kinds.get(k) != Kind.CONSTANT) {
                continue;
            }
            OnnxNode n = nodes.get(k);
            List<NDArray> in = new ArrayList<>();
            for (String name : n.inputs()) {
                in.add(name.isEmpty() ? null : constants.get(name));
            }
            List<NDArray> out = run(k, in, manager, false);
            for (int i = 0; i < n.outputs().size(); i++) {
                if (!n.outputs().get(i).isEmpty()) {
                    NDArray a = out.get(i);
                    if (a.getManager() != manager) {
                        a = a.duplicate();
                        a.attach(manager);
                    }
                    constants.put(n.outputs().get(i), a);
                }
            }
        }
    }

    /** Runs node {@code k}; temporaries it creates are closed, its outputs survive. */
    private List<NDArray> run(int k, List<NDArray> inputs, NDManager target, boolean training) {
        return run(k, inputs, target, training, i -> false);
    }

    /**
     * Runs node {@code k}, which may overwrite the inputs {@code overwrite} accepts; temporaries it creates are
     * closed, its outputs survive.
     */
    private List<NDArray> run(int k, List<NDArray> inputs, NDManager target, boolean training,
            IntPredicate overwrite) {
        OnnxNode n = nodes.get(k);
        OpContext ctx = new OpContext(n, graph.opset(), target, training, (index, value) -> writeState(n, index,
                index < inputs.size() ? inputs.get(index) : null, value), overwrite);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> out;
            try {
                out = ops.get(k).apply(ctx, inputs);
            } catch (OnnxImportException e) {
                throw e;
            } catch (RuntimeException e) {
                List<String> shapes = new ArrayList<>();
                for (NDArray a : inputs) {
                    shapes.add(a == null ? "-" : a.getShape() + " " + a.getDataType());
                }
                throw new OnnxImportException(n.describe() + " failed on inputs " + shapes + ": " + e.getMessage(),
                        e);
            }
            int declared = (int) n.outputs().stream().filter(o -> !o.isEmpty()).count();
            if (out.size() < declared) {
                throw new OnnxImportException(n.describe() + " produced " + out.size() + " outputs, the graph uses "
                        + n.outputs().size());
            }
            for (NDArray a : out) {
                NDScope.unregister(a);
            }
            return out;
        }
    }

    /**
     * Writes a state update (BatchNorm running statistics) into the array this pass read the state from: the
     * parameter's own array for a plain {@link ParameterStore}, a replica's copy in a data-parallel step (whose
     * statistics must not overwrite the primary's).
     */
    private void writeState(OnnxNode node, int index, NDArray used, NDArray value) {
        Parameter p = byInitializer.get(node.input(index));
        if (p == null) {
            throw new OnnxImportException(node.describe() + ": state input " + index + " ('" + node.input(index)
                    + "') is not a float initializer, cannot update it (Identity aliases of initializers are"
                    + " resolved by InitializerUntier, which OnnxImporter applies)");
        }
        if (p.requiresGradient()) {
            // running statistics never take gradients; newTrainer() may have unfrozen them
            p.freeze(true);
        }
        NDArray target = used == null ? p.getArray() : used;
        if (value == target) {
            return; // the op updated the array it was given in place
        }
        if (!target.getShape().equals(value.getShape())) {
            throw new OnnxImportException(node.describe() + ": new value of '" + node.input(index) + "' has shape "
                    + value.getShape() + ", expected " + target.getShape());
        }
        target.set(value.toByteBuffer());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        List<String> names = graph.inputNames();
        if (inputs.size() != names.size()) {
            throw new OnnxImportException("the graph takes " + names.size() + " inputs " + names + ", got "
                    + inputs.size());
        }
        NDArray image = inputs.get(0);
        NDManager batch = image.getManager();
        Map<String, NDArray> values = new HashMap<>();
        Map<NDArray, Boolean> held = new IdentityHashMap<>();
        NDArray input = channelsLastInput ? image.transpose(0, 2, 3, 1) : image;
        values.put(names.get(0), input);
        for (int i = 1; i < names.size(); i++) {
            values.put(names.get(i), inputs.get(i));
        }
        Map<String, NDArray> cache = shapeCacheFor(inputs.getShapes());
        // arrays computed in this pass → number of live tensor names bound to them (Identity-like ops alias); the
        // caller's inputs are never among them
        Map<NDArray, Integer> produced = new IdentityHashMap<>();
        Map<NDArray, Boolean> external = new IdentityHashMap<>();
        inputs.forEach(a -> external.put(a, Boolean.TRUE));
        external.put(input, Boolean.TRUE);
        for (int k = 0; k < nodes.size(); k++) {
            Kind kind = kinds.get(k);
            OnnxNode n = nodes.get(k);
            if (kind == Kind.CONSTANT) {
                continue;
            }
            if (kind == Kind.SHAPE && cache.containsKey(n.outputs().get(0))) {
                continue;
            }
            List<NDArray> in = new ArrayList<>();
            for (String name : n.inputs()) {
                in.add(name.isEmpty() ? null : resolve(name, values, cache, held, store, image, training));
            }
            if (kind == Kind.SHAPE) {
                List<NDArray> out = run(k, in, manager, false);
                synchronized (shapeCache) {
                    for (int i = 0; i < n.outputs().size(); i++) {
                        if (!n.outputs().get(i).isEmpty()) {
                            NDArray a = out.get(i);
                            if (a.getManager() != manager) {
                                a.attach(manager);
                            }
                            cache.put(n.outputs().get(i), a);
                        }
                    }
                }
                continue;
            }
            boolean nodeTraining = training && !inferenceNodes.contains(n.index());
            boolean[] mayOverwrite = overwritable.get(k);
            List<NDArray> out = run(k, in, batch, nodeTraining,
                    i -> mayOverwrite[i] && produced.getOrDefault(in.get(i), 0) == 1);
            for (int i = 0; i < n.outputs().size(); i++) {
                String name = n.outputs().get(i);
                if (name.isEmpty()) {
                    continue;
                }
                NDArray a = out.get(i);
                if (a.getManager() != batch && !held.containsKey(a)) {
                    a.attach(batch);
                }
                values.put(name, a);
                if (!held.containsKey(a) && !external.containsKey(a)) {
                    produced.merge(a, 1, Integer::sum);
                }
            }
            release(k, values, produced);
        }
        NDList result = new NDList();
        for (String o : outputs) {
            NDArray a = resolve(o, values, cache, held, store, image, training);
            if (held.containsKey(a) || a.getManager() != batch) {
                // never hand out a parameter, constant or cached array itself: callers close outputs
                a = a.duplicate();
                a.attach(batch);
            }
            result.add(a);
        }
        return result;
    }

    /**
     * Closes the arrays this pass computed whose last consumer was node {@code k}, so a long graph does not keep every
     * activation until the batch ends: in inference mode the memory is reused right away (as in eager PyTorch); in
     * training autograd keeps what backward needs by itself (closing an array releases only its handle). Inputs,
     * parameters, constants, cached shape values and block outputs are never closed here.
     */
    private static void releaseUnused(List<String> dead, Map<String, NDArray> values, Map<NDArray, Integer> produced) {
        for (String name : dead) {
            NDArray a = values.get(name);
            Integer refs = a == null ? null : produced.get(a);
            if (refs == null) {
                continue;
            }
            values.remove(name);
            if (refs > 1) {
                produced.put(a, refs - 1);
            } else {
                produced.remove(a);
                a.close();
            }
        }
    }

    private void release(int k, Map<String, NDArray> values, Map<NDArray, Integer> produced) {
        releaseUnused(lastUses.get(k), values, produced);
    }

    private NDArray resolve(String name, Map<String, NDArray> values, Map<String, NDArray> cache,
            Map<NDArray, Boolean> held, ParameterStore store, NDArray image, boolean training) {
        NDArray a = values.get(name);
        if (a != null) {
            return a;
        }
        a = constants.get(name);
        if (a != null && !a.getDevice().equals(image.getDevice())) {
            a = constantOn(name, a, image.getDevice());
        }
        if (a == null) {
            a = cache.get(name);
        }
        if (a == null) {
            Parameter p = byInitializer.get(name);
            if (p == null) {
                throw new OnnxImportException("tensor '" + name + "' has no value (internal order error)");
            }
            a = store.getValue(p, image.getDevice(), training);
        }
        held.put(a, Boolean.TRUE);
        values.put(name, a);
        return a;
    }

    /**
     * A constant on another device than the block's manager (a data-parallel replica's GPU), copied once and kept
     * with the block's constants. Shape-derived cached values are not copied: the ops read them on the host.
     */
    private NDArray constantOn(String name, NDArray constant, Device device) {
        synchronized (constantsElsewhere) {
            return constantsElsewhere.computeIfAbsent(device, d -> new HashMap<>()).computeIfAbsent(name, n -> {
                NDArray copy = constant.toDevice(device, true);
                copy.attach(manager);
                return copy;
            });
        }
    }

    private Map<String, NDArray> shapeCacheFor(Shape[] inputShapes) {
        List<Shape> key = List.of(inputShapes);
        synchronized (shapeCache) {
            Map<String, NDArray> c = shapeCache.get(key);
            if (c == null) {
                c = new HashMap<>();
                shapeCache.put(key, c);
                if (shapeCache.size() > SHAPE_CACHE_ENTRIES) {
                    Map.Entry<List<Shape>, Map<String, NDArray>> eldest = shapeCache.entrySet().iterator().next();
                    eldest.getValue().values().forEach(NDArray::close);
                    shapeCache.remove(eldest.getKey());
                }
            }
            return c;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager temp = manager.newSubManager()) {
            NDList zeros = new NDList();
            for (Shape s : inputShapes) {
                zeros.add(temp.zeros(s, DataType.FLOAT32));
            }
            NDList out = forward(new ParameterStore(temp, false), zeros, false, null);
            return out.getShapes();
        }
    }

    /** The graph this block runs. */
    public OnnxGraph graph() {
        return graph;
    }

    /** The nodes this block runs, in graph order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Parameters by initializer name, in the order their first consumer appears in the graph. */
    public Map<String, Parameter> parametersByInitializer() {
        return byInitializer;
    }

    /**
     * Nodes (by graph index) that always run in inference mode, even in a training forward pass: frozen layers whose
     * BatchNorm must use and keep its running statistics and whose Dropout is off.
     */
    public void setInferenceNodes(Set<Integer> nodeIndices) {
        inferenceNodes.clear();
        inferenceNodes.addAll(nodeIndices);
    }

    /** Graph indices of the nodes currently forced to inference mode. */
    public Set<Integer> inferenceNodes() {
        return Set.copyOf(inferenceNodes);
    }
}

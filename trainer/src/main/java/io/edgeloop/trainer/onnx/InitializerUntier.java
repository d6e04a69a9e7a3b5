package io.edgeloop.trainer.onnx;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.op.OnnxOp;
import io.edgeloop.trainer.onnx.op.OpRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Undoes the initializer de-duplication of {@code torch.onnx.export}, so that every trainable role has a tensor of its
 * own. In eval mode torch merges initializers with equal values: freshly initialised BatchNorm layers all have γ = 1,
 * β = 0, mean 0, variance 1, so one layer's {@code bias} ends up feeding another layer's {@code running_mean} through
 * an {@code Identity} node, and one tensor can feed several layers directly. Imported as is, the statistics could not
 * be updated (they are no initializer) and training one layer would move every layer sharing its tensor.
 *
 * <p>The rewrite, before anything else of the import:
 * <ol>
 *   <li><b>Aliases</b>: {@code Identity} nodes (and chains of them) whose source is an initializer or a
 *   {@code Constant} node are removed; their readers read the source. Identities that produce a graph output
 *   stay.</li>
 *   <li><b>Untying</b>: each input slot that becomes a DJL parameter ({@link ParameterRoles#isParameter}: weights,
 *   biases, BatchNorm γ/β/statistics, other float tensors at data inputs) gets its own initializer when the source has
 *   other uses. The copy is named after the alias the slot read when only that slot read it (torch's own name, e.g.
 *   {@code layer4.1.bn2.running_var}), else {@code <initializer>/<node>#<slot>}; a source with one use keeps its name.
 *   Other uses (shape inputs, Reshape targets, scalar constants of arithmetic) keep reading the shared original, which
 *   disappears when nothing reads it any more.</li>
 *   <li>A {@code Constant} node read by a layer's parameter slot (Conv/Gemm/MatMul weight or bias, BatchNorm scale,
 *   shift or statistics) becomes an initializer named after its output; arithmetic operands stay constants.</li>
 * </ol>
 * New initializers are listed as graph inputs too when the model's IR version is below 4 (which requires it) or the
 * original was listed. The result computes exactly what the original computes; the exporter writes it as it is.
 */
public final class InitializerUntier {

    /** From IR version 4 on, initializers need not be listed as graph inputs. */
    private static final long IR_INITIALIZERS_NEED_NOT_BE_INPUTS = 4;

    private InitializerUntier() {
    }

    /**
     * What the rewrite did, in counts (what {@code trainer inspect} shows).
     *
     * @param aliases Identity nodes removed because they aliased an initializer or Constant
     * @param constants Constant nodes turned into initializers
     * @param sharedInitializers initializers that fed more than one use of which at least one is a parameter slot
     * @param parameters initializers the parameter slots of those shared ones read now
     */
    public record Sharing(int aliases, int constants, int sharedInitializers, int parameters) {

        /** True when the model needed no rewrite. */
        public boolean none() {
            return aliases == 0 && constants == 0 && sharedInitializers == 0;
        }

        @Override
        public String toString() {
            if (none()) {
                return "no aliased or shared initializers";
            }
            List<String> parts = new ArrayList<>();
            if (aliases > 0) {
                parts.add(aliases + " Identity alias" + (aliases == 1 ? "" : "es") + " of initializers resolved");
            }
            if (constants > 0) {
                parts.add(constants + " Constant" + (constants == 1 ? "" : "s") + " made initializer"
                        + (constants == 1 ? "" : "s"));
            }
            if (sharedInitializers > 0) {
                parts.add(sharedInitializers + " shared initializer" + (sharedInitializers == 1 ? "" : "s")
                        + " untied into " + parameters + " parameter" + (parameters == 1 ? "" : "s"));
            }
            return String.join(", ", parts);
        }
    }

    /**
     * The rewritten model and what changed.
     *
     * @param model the rewritten model; the given model itself when nothing needed rewriting
     * @param aliases removed alias tensors → the initializer or Constant output they stood for, in graph order
     * @param constants outputs of the Constant nodes that became initializers
     * @param untied per shared initializer: the initializers its parameter slots read now, in graph order (the
     *               original name among them when one slot kept it)
     */
    public record Untied(OnnxMl.ModelProto model, Map<String, String> aliases, List<String> constants,
            Map<String, List<String>> untied) {

        /** Compact constructor: copies the collections. */
        public Untied {
            aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
            constants = List.copyOf(constants);
            Map<String, List<String>> copy = new LinkedHashMap<>();
            untied.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            untied = Collections.unmodifiableMap(copy);
        }

        /** The counts. */
        public Sharing sharing() {
            int parameters = untied.values().stream().mapToInt(List::size).sum();
            return new Sharing(aliases.size(), constants.size(), untied.size(), parameters);
        }
    }

    /** One read of a source tensor (initializer or Constant output), directly or through aliases. */
    private record Use(int node, String nodeName, int slot, String read, boolean parameter) {
    }

    /** Resolves aliases and unties shared parameter initializers; see the class comment. */
    public static Untied untie(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        Map<String, OnnxMl.TensorProto> constantValues = constantValues(g, graphOutputs, inits);

        Map<String, String> aliasRoot = new LinkedHashMap<>();
        Set<Integer> aliasNodes = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto p = g.getNode(i);
            if (!"Identity".equals(p.getOpType()) || p.getInputCount() != 1 || p.getOutputCount() != 1
                    || graphOutputs.contains(p.getOutput(0))) {
                continue;
            }
            String in = p.getInput(0);
            String root = inits.containsKey(in) || constantValues.containsKey(in) ? in : aliasRoot.get(in);
            if (root != null) {
                aliasRoot.put(p.getOutput(0), root);
                aliasNodes.add(i);
            }
        }

        Map<String, List<Use>> uses = uses(g, inits, constantValues, aliasRoot, aliasNodes);
        Set<String> taken = tensorNames(g);
        Map<String, String> rewired = new HashMap<>();
        Map<String, List<OnnxMl.TensorProto>> copies = new LinkedHashMap<>();
        Map<String, List<String>> untied = new LinkedHashMap<>();
        Set<String> dropped = new HashSet<>();
        List<String> promoted = new ArrayList<>();
        for (Map.Entry<String, List<Use>> e : uses.entrySet()) {
            String root = e.getKey();
            List<Use> list = e.getValue();
            boolean anyParameter = list.stream().anyMatch(Use::parameter);
            boolean constant = constantValues.containsKey(root);
            if (!anyParameter) {
                list.stream().filter(u -> !u.read().equals(root)).forEach(u -> rewired.put(key(u), root));
                continue;
            }
            OnnxMl.TensorProto value = constant ? constantValues.get(root) : inits.get(root);
            boolean rootRequired = graphOutputs.contains(root);
            Map<String, Integer> claims = new HashMap<>();
            for (Use u : list) {
                claims.merge(u.parameter() ? u.read() : root, 1, Integer::sum);
            }
            if (rootRequired) {
                claims.merge(root, 1, Integer::sum);
            }
            boolean rootRead = rootRequired;
            List<String> names = new ArrayList<>();
            for (Use u : list) {
                String name;
                if (!u.parameter() || (list.size() == 1 && !rootRequired)) {
                    name = root;
                } else if (claims.get(u.read()) == 1) {
                    name = u.read();
                } else {
                    name = unique(root + "/" + u.nodeName() + "#" + u.slot(), taken);
                }
                if (!name.equals(u.read())) {
                    rewired.put(key(u), name);
                }
                if (name.equals(root)) {
                    rootRead = true;
                } else {
                    copies.computeIfAbsent(root, k -> new ArrayList<>()).add(value.toBuilder().setName(name).build());
                }
                if (u.parameter()) {
                    names.add(name);
                }
            }
            if (list.size() > 1) {
                untied.put(root, names);
            }
            if (constant) {
                promoted.add(root);
            }
            if (!rootRead) {
                dropped.add(root);
            }
        }
        if (aliasNodes.isEmpty() && promoted.isEmpty() && untied.isEmpty() && rewired.isEmpty()) {
            return new Untied(model, Map.of(), List.of(), Map.of());
        }
        OnnxMl.ModelProto rewritten = rewrite(model, aliasNodes, promoted, constantValues, rewired, copies, dropped);
        Map<String, String> aliases = new LinkedHashMap<>(aliasRoot);
        return new Untied(rewritten, aliases, promoted, untied);
    }

    /** Constant nodes with a float tensor {@code value}, by output name (the tensor renamed to it). */
    private static Map<String, OnnxMl.TensorProto> constantValues(OnnxMl.GraphProto g, Set<String> graphOutputs,
            Map<String, OnnxMl.TensorProto> inits) {
        Map<String, OnnxMl.TensorProto> map = new LinkedHashMap<>();
        for (OnnxMl.NodeProto p : g.getNodeList()) {
            if (!"Constant".equals(p.getOpType()) || p.getOutputCount() != 1 || graphOutputs.contains(p.getOutput(0))
                    || inits.containsKey(p.getOutput(0))) {
                continue;
            }
            for (OnnxMl.AttributeProto a : p.getAttributeList()) {
                if ("value".equals(a.getName()) && a.hasT()
                        && a.getT().getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                    map.put(p.getOutput(0), a.getT().toBuilder().setName(p.getOutput(0)).build());
                }
            }
        }
        return map;
    }

    /** Every read of a source, by source, in graph order (reads by removed aliases excluded). */
    private static Map<String, List<Use>> uses(OnnxMl.GraphProto g, Map<String, OnnxMl.TensorProto> inits,
            Map<String, OnnxMl.TensorProto> constantValues, Map<String, String> aliasRoot, Set<Integer> aliasNodes) {
        OpRegistry registry = OpRegistry.standard();
        Map<String, List<Use>> uses = new LinkedHashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (aliasNodes.contains(i)) {
                continue;
            }
            OnnxNode n = OnnxNode.of(i, g.getNode(i));
            // unsupported ops fail later, naming themselves; here they are reads like any other
            OnnxOp op = registry.supported().contains(n.opType()) ? registry.lookup(n) : null;
            for (int slot = 0; slot < n.inputs().size(); slot++) {
                String t = n.input(slot);
                String root = inits.containsKey(t) || constantValues.containsKey(t) ? t : aliasRoot.get(t);
                if (t.isEmpty() || root == null) {
                    continue;
                }
                OnnxMl.TensorProto value = inits.containsKey(root) ? inits.get(root) : constantValues.get(root);
                // a Constant becomes a parameter only in a layer's own slot (a BN scale), never as an arithmetic
                // operand (Caffe2's input mean/scale stay constants, as they were before the import)
                boolean parameter = op != null && ParameterRoles.isParameter(n, op, slot, value)
                        && (inits.containsKey(root) || ParameterRoles.type(n, slot) != Parameter.Type.OTHER);
                uses.computeIfAbsent(root, k -> new ArrayList<>()).add(new Use(i, n.name(), slot, t, parameter));
            }
        }
        return uses;
    }

    private static OnnxMl.ModelProto rewrite(OnnxMl.ModelProto model, Set<Integer> aliasNodes, List<String> promoted,
            Map<String, OnnxMl.TensorProto> constantValues, Map<String, String> rewired,
            Map<String, List<OnnxMl.TensorProto>> copies, Set<String> dropped) {
        OnnxMl.GraphProto g = model.getGraph();
        OnnxMl.GraphProto.Builder out = g.toBuilder().clearNode().clearInitializer().clearInput();
        Set<String> removedTensors = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto p = g.getNode(i);
            if (aliasNodes.contains(i)) {
                removedTensors.add(p.getOutput(0));
                continue;
            }
            if ("Constant".equals(p.getOpType()) && promoted.contains(p.getOutput(0))) {
                continue;
            }
            OnnxMl.NodeProto.Builder b = p.toBuilder();
            for (int slot = 0; slot < p.getInputCount(); slot++) {
                String name = rewired.get(i + "#" + slot);
                if (name != null) {
                    b.setInput(slot, name);
                }
            }
            out.addNode(b);
        }
        List<OnnxMl.TensorProto> added = new ArrayList<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (!dropped.contains(t.getName())) {
                out.addInitializer(t);
            }
            for (OnnxMl.TensorProto c : copies.getOrDefault(t.getName(), List.of())) {
                out.addInitializer(c);
                added.add(c);
            }
        }
        for (String c : promoted) {
            if (!dropped.contains(c)) {
                out.addInitializer(constantValues.get(c));
                added.add(constantValues.get(c));
            }
            for (OnnxMl.TensorProto t : copies.getOrDefault(c, List.of())) {
                out.addInitializer(t);
                added.add(t);
            }
        }
        Set<String> listed = new HashSet<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!dropped.contains(v.getName())) {
                out.addInput(v);
                listed.add(v.getName());
            }
            for (OnnxMl.TensorProto c : copies.getOrDefault(v.getName(), List.of())) {
                if (listed.add(c.getName())) {
                    out.addInput(initializerInput(c));
                }
            }
        }
        if (model.getIrVersion() < IR_INITIALIZERS_NEED_NOT_BE_INPUTS) {
            for (OnnxMl.TensorProto t : added) {
                if (listed.add(t.getName())) {
                    out.addInput(initializerInput(t));
                }
            }
        }
        List<OnnxMl.ValueInfoProto> info = new ArrayList<>(out.getValueInfoList());
        out.clearValueInfo();
        info.stream().filter(v -> !removedTensors.contains(v.getName()) && !dropped.contains(v.getName()))
                .forEach(out::addValueInfo);
        return model.toBuilder().setGraph(out).build();
    }

    private static String key(Use u) {
        return u.node() + "#" + u.slot();
    }

    private static Set<String> tensorNames(OnnxMl.GraphProto g) {
        Set<String> names = new HashSet<>();
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getInputList().forEach(v -> names.add(v.getName()));
        for (OnnxMl.NodeProto p : g.getNodeList()) {
            names.addAll(p.getOutputList());
        }
        return names;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int k = 2; !taken.add(candidate); k++) {
            candidate = name + "~" + k;
        }
        return candidate;
    }

    /** A graph input entry for an initializer (element type and dims), as IR 3 requires. */
    static OnnxMl.ValueInfoProto initializerInput(OnnxMl.TensorProto t) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(t.getName()).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape)))
                .build();
    }
}

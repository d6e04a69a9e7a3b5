package io.edgeloop.trainer.quantize;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxNode;
import io.edgeloop.trainer.onnx.TensorProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a float graph (BatchNormalization already folded) as static QDQ: every activation that feeds an op ONNX
 * Runtime has an int8 kernel for gets a QuantizeLinear → DequantizeLinear pair with its calibrated uint8 range, and
 * the weights of Conv (symmetric int8 per output channel, axis 0), Gemm and MatMul (symmetric int8 per tensor) are
 * stored as int8 behind a DequantizeLinear, with their biases as int32 at scale {@code input scale × weight scale}.
 * ONNX Runtime then fuses each {@code DQ → Conv → Q} into QLinearConv, {@code DQ → Gemm} into QGemm,
 * {@code DQ → Add → Q} into QLinearAdd and so on ({@link FusedKernels} checks it on the result).
 *
 * <p>Decisions: a Relu or Clip right after a Conv, Gemm, MatMul or Add gets no pair on its input, only on its
 * output (range starting at 0): ONNX Runtime then drops the activation and fuses its producer with the Q, so the
 * activation costs nothing. The output of a range-preserving op (MaxPool, Flatten, Reshape) reuses its input's
 * parameters, as ONNX Runtime requires to run that op on the int8 values directly. Graph outputs stay float (the
 * logits keep full precision; the last Gemm becomes a QGemm with float output).
 */
public final class QdqRewriter {

    /** Ops whose data inputs get a QDQ pair; the index lists say which inputs carry data. */
    private static final Map<String, int[]> QUANTIZED_INPUTS = Map.ofEntries(
            Map.entry("Conv", new int[] {0}), Map.entry("Gemm", new int[] {0, 1}),
            Map.entry("MatMul", new int[] {0, 1}), Map.entry("Add", new int[] {0, 1}),
            Map.entry("GlobalAveragePool", new int[] {0}), Map.entry("AveragePool", new int[] {0}),
            Map.entry("MaxPool", new int[] {0}), Map.entry("Flatten", new int[] {0}),
            Map.entry("Reshape", new int[] {0}), Map.entry("Relu", new int[] {0}), Map.entry("Clip", new int[] {0}));

    /** Activations ONNX Runtime removes when a Q with a range starting at 0 follows them. */
    private static final Set<String> FOLDED_ACTIVATIONS = Set.of("Relu", "Clip");

    /** Producers whose fused kernel absorbs a following Relu/Clip. */
    private static final Set<String> ACTIVATION_FUSERS = Set.of("Conv", "Gemm", "MatMul", "Add");

    /** Ops whose output has its input's values (a subset, reordered): their Q reuses the input's parameters. */
    private static final Set<String> RANGE_PRESERVING = Set.of("MaxPool", "Flatten", "Reshape");

    /** The lowest opset whose DequantizeLinear takes per-axis scales. */
    public static final int MIN_OPSET = 13;

    private QdqRewriter() {
    }

    /**
     * Which activations get a QDQ pair, and which of them need their own calibrated range (the rest inherit it
     * through a range-preserving op).
     *
     * @param quantized  every activation with a pair, in graph order
     * @param calibrated those needing their own range, in graph order
     * @param inherits   range-preserving outputs to the tensor whose parameters they reuse
     */
    public record Plan(List<String> quantized, List<String> calibrated, Map<String, String> inherits) {
        public Plan {
            quantized = List.copyOf(quantized);
            calibrated = List.copyOf(calibrated);
            inherits = Map.copyOf(inherits);
        }
    }

    /** Plans the pairs for a folded float graph. */
    public static Plan plan(OnnxMl.ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        if (graph.opset() < MIN_OPSET) {
            throw new IllegalArgumentException("the model's opset is " + graph.opset() + ", quantize needs "
                    + MIN_OPSET + " or newer (per-channel DequantizeLinear); re-export the model at opset 13+");
        }
        Set<String> outputs = new HashSet<>(graph.outputNames());
        List<String> candidates = new ArrayList<>(graph.inputNames().subList(0, 1));
        for (OnnxNode n : graph.nodes()) {
            candidates.addAll(n.outputs());
        }
        List<String> quantized = new ArrayList<>();
        List<String> calibrated = new ArrayList<>();
        Map<String, String> inherits = new LinkedHashMap<>();
        Set<String> chosen = new HashSet<>();
        for (String t : candidates) {
            if (t.isEmpty() || outputs.contains(t) || graph.initializers().containsKey(t)
                    || !feedsQuantizedInput(graph, t) || activationFolded(graph, t)) {
                continue;
            }
            quantized.add(t);
            chosen.add(t);
            OnnxNode producer = graph.producer(t);
            if (producer != null && RANGE_PRESERVING.contains(producer.opType())
                    && chosen.contains(producer.input(0))) {
                inherits.put(t, producer.input(0));
            } else {
                calibrated.add(t);
            }
        }
        return new Plan(quantized, calibrated, inherits);
    }

    private static boolean feedsQuantizedInput(OnnxGraph graph, String tensor) {
        for (OnnxNode c : graph.consumers(tensor)) {
            int[] data = QUANTIZED_INPUTS.get(c.opType());
            if (data != null) {
                for (int i : data) {
                    if (tensor.equals(c.input(i))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean activationFolded(OnnxGraph graph, String tensor) {
        OnnxNode producer = graph.producer(tensor);
        List<OnnxNode> consumers = graph.consumers(tensor);
        if (producer == null || !ACTIVATION_FUSERS.contains(producer.opType()) || consumers.isEmpty()) {
            return false;
        }
        for (OnnxNode c : consumers) {
            if (!FOLDED_ACTIVATIONS.contains(c.opType()) || !tensor.equals(c.input(0))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the QDQ graph.
     *
     * @param ranges a calibrated range for the tensors of {@code plan.calibrated()}; a planned tensor without one
     *               (not a float tensor after all) and those inheriting from it keep no pair
     */
    public static OnnxMl.ModelProto rewrite(OnnxMl.ModelProto model, Plan plan, Map<String, TensorRange> ranges) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, QuantParams> params = new LinkedHashMap<>();
        for (String t : plan.quantized()) {
            String source = plan.inherits().getOrDefault(t, t);
            QuantParams p = source.equals(t) ? (ranges.containsKey(t) ? ranges.get(t).uint8() : null)
                    : params.get(source);
            if (p != null) {
                params.put(t, p); // no range: calibration found no float values there, the tensor stays as it is
            }
        }
        Names names = new Names(graph);
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>(graph.initializers());
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        Map<String, String> dequantized = new LinkedHashMap<>();
        String input = graph.inputName();
        if (params.containsKey(input)) {
            addPair(input, params.get(input), names, inits, nodes, dequantized);
        }
        Map<String, String> weightsDone = new LinkedHashMap<>();
        for (OnnxNode n : graph.nodes()) {
            OnnxMl.NodeProto proto = model.getGraph().getNode(n.index());
            OnnxMl.NodeProto.Builder b = proto.toBuilder();
            for (int i = 0; i < proto.getInputCount(); i++) {
                String dq = dequantized.get(proto.getInput(i));
                if (dq != null) {
                    b.setInput(i, dq);
                }
            }
            QuantParams in = params.get(n.input(0));
            switch (n.opType()) {
                case "Conv" -> quantizeWeights(n, b, in, true, inits, names, nodes, weightsDone);
                case "Gemm" -> {
                    boolean plain = n.attributes().getInt("transA", 0) == 0
                            && n.attributes().getFloat("alpha", 1f) == 1f && n.attributes().getFloat("beta", 1f) == 1f;
                    if (plain) {
                        quantizeWeights(n, b, in, false, inits, names, nodes, weightsDone);
                    }
                }
                case "MatMul" -> quantizeWeights(n, b, null, false, inits, names, nodes, weightsDone);
                default -> {
                }
            }
            nodes.add(b.build());
            for (String out : n.outputs()) {
                if (params.containsKey(out)) {
                    addPair(out, params.get(out), names, inits, nodes, dequantized);
                }
            }
        }
        Set<String> used = new HashSet<>();
        for (OnnxMl.NodeProto p : nodes) {
            used.addAll(p.getInputList());
        }
        used.addAll(graph.outputNames());
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (OnnxMl.TensorProto t : inits.values()) {
            if (used.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : model.getGraph().getInputList()) {
            if (!graph.initializers().containsKey(v.getName()) || used.contains(v.getName())) {
                inputs.add(v);
            }
        }
        g.clearInput().addAllInput(inputs).clearValueInfo();
        return model.toBuilder().setGraph(g).build();
    }

    private static void addPair(String tensor, QuantParams p, Names names, Map<String, OnnxMl.TensorProto> inits,
                                List<OnnxMl.NodeProto> nodes, Map<String, String> dequantized) {
        String scale = names.fresh(tensor + "_scale");
        String zero = names.fresh(tensor + "_zero_point");
        String q = names.fresh(tensor + "_quantized");
        String dq = names.fresh(tensor + "_dequantized");
        inits.put(scale, floatScalar(scale, p.scale()));
        inits.put(zero, OnnxMl.TensorProto.newBuilder().setName(zero)
                .setDataType(OnnxMl.TensorProto.DataType.UINT8_VALUE)
                .setRawData(ByteString.copyFrom(new byte[] {(byte) p.zeroPoint()})).build());
        nodes.add(node("QuantizeLinear", names.fresh(tensor + "_QuantizeLinear"), List.of(tensor, scale, zero), q,
                -1));
        nodes.add(node("DequantizeLinear", names.fresh(tensor + "_DequantizeLinear"), List.of(q, scale, zero), dq,
                -1));
        dequantized.put(tensor, dq);
    }

    /**
     * Replaces an initializer weight (input 1) by int8 behind a DequantizeLinear and, when the data input has
     * parameters, an initializer bias (input 2) by int32 at scale input × weight scale.
     */
    private static void quantizeWeights(OnnxNode n, OnnxMl.NodeProto.Builder b, QuantParams in, boolean perChannel,
                                        Map<String, OnnxMl.TensorProto> inits, Names names,
                                        List<OnnxMl.NodeProto> nodes, Map<String, String> weightsDone) {
        String weightName = n.input(1);
        OnnxMl.TensorProto weight = inits.get(weightName);
        if (weight == null || weight.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE
                || weight.getDimsCount() < 2) {
            return; // an activation (MatMul of two tensors) or an unusual weight: left float
        }
        int channels = perChannel ? Math.toIntExact(weight.getDims(0)) : 1;
        SymmetricWeights q = SymmetricWeights.of(TensorProtos.floats(weight), channels);
        String dq = weightsDone.get(weightName);
        if (dq == null) {
            String values = names.fresh(weightName + "_quantized");
            String scale = names.fresh(weightName + "_scale");
            String zero = names.fresh(weightName + "_zero_point");
            dq = names.fresh(weightName + "_dequantized");
            inits.put(values, OnnxMl.TensorProto.newBuilder().setName(values)
                    .setDataType(OnnxMl.TensorProto.DataType.INT8_VALUE).addAllDims(weight.getDimsList())
                    .setRawData(ByteString.copyFrom(q.values())).build());
            inits.put(scale, perChannel ? floatVector(scale, q.scales()) : floatScalar(scale, q.scales()[0]));
            OnnxMl.TensorProto.Builder z = OnnxMl.TensorProto.newBuilder().setName(zero)
                    .setDataType(OnnxMl.TensorProto.DataType.INT8_VALUE)
                    .setRawData(ByteString.copyFrom(new byte[channels]));
            if (perChannel) {
                z.addDims(channels);
            }
            inits.put(zero, z.build());
            nodes.add(node("DequantizeLinear", names.fresh(weightName + "_DequantizeLinear"),
                    List.of(values, scale, zero), dq, perChannel ? 0 : -1));
            weightsDone.put(weightName, dq);
        }
        b.setInput(1, dq);
        String biasName = n.input(2);
        OnnxMl.TensorProto bias = biasName.isEmpty() ? null : inits.get(biasName);
        if (in == null || bias == null || bias.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            return;
        }
        float[] bv = TensorProtos.floats(bias);
        if (bv.length != (perChannel ? channels : bv.length)) {
            return;
        }
        float[] scales = new float[perChannel ? channels : 1];
        ByteBuffer levels = ByteBuffer.allocate(bv.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < bv.length; c++) {
            float s = in.scale() * q.scales()[perChannel ? c : 0];
            scales[perChannel ? c : 0] = s;
            double level = Math.rint(bv[c] / (double) s);
            levels.putInt((int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, level)));
        }
        String values = names.fresh(n.name() + ".bias_quantized");
        String scale = names.fresh(n.name() + ".bias_scale");
        String zero = names.fresh(n.name() + ".bias_zero_point");
        String dqBias = names.fresh(n.name() + ".bias_dequantized");
        inits.put(values, OnnxMl.TensorProto.newBuilder().setName(values)
                .setDataType(OnnxMl.TensorProto.DataType.INT32_VALUE).addDims(bv.length)
                .setRawData(ByteString.copyFrom(levels.flip())).build());
        inits.put(scale, perChannel ? floatVector(scale, scales) : floatScalar(scale, scales[0]));
        OnnxMl.TensorProto.Builder z = OnnxMl.TensorProto.newBuilder().setName(zero)
                .setDataType(OnnxMl.TensorProto.DataType.INT32_VALUE)
                .setRawData(ByteString.copyFrom(new byte[Integer.BYTES * (perChannel ? channels : 1)]));
        if (perChannel) {
            z.addDims(channels);
        }
        inits.put(zero, z.build());
        nodes.add(node("DequantizeLinear", names.fresh(n.name() + ".bias_DequantizeLinear"),
                List.of(values, scale, zero), dqBias, perChannel ? 0 : -1));
        b.setInput(2, dqBias);
    }

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output, int axis) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addOutput(output);
        if (axis >= 0) {
            b.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                    .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(axis));
        }
        return b.build();
    }

    private static OnnxMl.TensorProto floatScalar(String name, float value) {
        ByteBuffer b = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.flip())).build();
    }

    private static OnnxMl.TensorProto floatVector(String name, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(b.flip())).build();
    }

    /** Fresh tensor and node names that collide with nothing in the graph or made so far. */
    private static final class Names {
        private final Set<String> taken = new LinkedHashSet<>();

        Names(OnnxGraph graph) {
            taken.addAll(graph.initializers().keySet());
            taken.addAll(graph.inputNames());
            for (OnnxNode n : graph.nodes()) {
                taken.add(n.name());
                taken.addAll(n.outputs());
            }
        }

        String fresh(String wanted) {
            String name = wanted;
            for (int i = 2; !taken.add(name); i++) {
                name = wanted + "_" + i;
            }
            return name;
        }
    }
}

package io.edgeloop.trainer.export;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.BasePrecision;
import io.edgeloop.trainer.onnx.ChannelsFirst;
import io.edgeloop.trainer.onnx.HeadPool;
import io.edgeloop.trainer.onnx.LinearHead;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.onnx.OnnxNode;
import io.edgeloop.trainer.onnx.TensorProtos;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exports a fine-tuned network as ONNX: the original graph's nodes up to the feature tensor, unchanged and in order,
 * with every trained parameter (weights, BatchNorm statistics) copied back into its initializer; the old head
 * replaced by a Gemm over the features (a spatial map pooled first with GlobalAveragePool or GlobalMaxPool as the
 * network's {@link HeadPool} says, then Flatten when they have more than two dims); a graph that takes N×H×W×C
 * images (Keras via tf2onnx) gets an N×C×H×W input of the same name and a Transpose in front, so every package
 * takes what the card says and the devices feed; outputs {@code logits}
 * [N, classes] and {@code probabilities} (Softmax over axis 1) with a symbolic batch dim {@code N}. Same opset and IR
 * version as the original (for IR 3 every initializer, the new head's too, is also listed as a graph input, as that
 * IR version requires). The nodes are the imported graph's: Identity aliases of initializers are gone and shared
 * initializers are untied ({@code InitializerUntier}), so each parameter is written to an initializer of its own.
 * Always float32: a float16 base was trained as its float32 twin (see {@link #precisionNote}). Leftover attributes of
 * older opsets were removed at import. Intermediate shape annotations (value_info) and the original metadata are
 * dropped: the model card is attached by the protocol module's writer.
 */
public final class OnnxExporter {

    /** Name of the logits output. */
    public static final String LOGITS = "logits";
    /** Name of the probabilities output. */
    public static final String PROBABILITIES = "probabilities";
    /** Symbolic batch dimension of inputs and outputs. */
    public static final String BATCH = "N";

    private static final String PREFIX = "edgeloop_head";
    /** From IR version 4 on, initializers need not be listed as graph inputs. */
    private static final long IR_INITIALIZERS_NEED_NOT_BE_INPUTS = 4;

    private OnnxExporter() {
    }

    /** The exported model; the network is only read. */
    public static OnnxMl.ModelProto export(OnnxClassifierNetwork net) {
        OnnxGraph graph = net.graph();
        OnnxMl.ModelProto original = graph.model();
        OnnxMl.GraphProto g = original.getGraph();
        List<OnnxNode> kept = net.backbone().nodes();
        Set<String> produced = new HashSet<>();
        Set<String> used = new HashSet<>();
        OnnxMl.GraphProto.Builder out = OnnxMl.GraphProto.newBuilder().setName(g.getName())
                .setDocString(g.getDocString());
        for (OnnxNode n : kept) {
            out.addNode(g.getNode(n.index()));
            produced.addAll(n.outputs());
            used.addAll(n.inputs());
        }
        for (String name : List.of(LOGITS, PROBABILITIES, LinearHead.WEIGHT, LinearHead.BIAS)) {
            if (produced.contains(name) || (used.contains(name) && !name.equals(graph.inputName()))) {
                throw new OnnxImportException("cannot export: the backbone already has a tensor named '" + name
                        + "', which the new head's outputs use");
            }
        }
        String features = net.headCut().featureTensor();
        HeadPool pool = net.headPool();
        if (net.featureShape().dimension() > 2 && pool.onnxOp() != null) {
            String pooled = PREFIX + "/features_pooled";
            out.addNode(OnnxMl.NodeProto.newBuilder().setName(PREFIX + "/" + pool.onnxOp()).setOpType(pool.onnxOp())
                    .addInput(features).addOutput(pooled));
            features = pooled;
        }
        if (net.featureShape().dimension() > 2) {
            String flat = PREFIX + "/features_flat";
            out.addNode(OnnxMl.NodeProto.newBuilder().setName(PREFIX + "/Flatten").setOpType("Flatten")
                    .addInput(features).addOutput(flat).addAttribute(intAttribute("axis", 1)));
            features = flat;
        }
        out.addNode(OnnxMl.NodeProto.newBuilder().setName(PREFIX + "/Gemm").setOpType("Gemm").addInput(features)
                .addInput(LinearHead.WEIGHT).addInput(LinearHead.BIAS).addOutput(LOGITS)
                .addAttribute(intAttribute("transB", 1)));
        // 2-D logits: opset < 13 Softmax (coerced to 2-D at axis 1) and opset ≥ 13 Softmax agree on axis 1
        out.addNode(OnnxMl.NodeProto.newBuilder().setName(PREFIX + "/Softmax").setOpType("Softmax").addInput(LOGITS)
                .addOutput(PROBABILITIES).addAttribute(intAttribute("axis", 1)));

        Map<String, Parameter> params = net.backbone().parametersByInitializer();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (!used.contains(t.getName())) {
                continue; // the old head's weights and anything else no kept node reads
            }
            Parameter p = params.get(t.getName());
            out.addInitializer(p == null ? t : TensorProtos.floatTensor(t.getName(), p.getArray()));
        }
        out.addInitializer(TensorProtos.floatTensor(LinearHead.WEIGHT, net.head().weight().getArray()));
        out.addInitializer(TensorProtos.floatTensor(LinearHead.BIAS, net.head().bias().getArray()));

        for (OnnxMl.ValueInfoProto in : g.getInputList()) {
            if (in.getName().equals(graph.inputName())) {
                out.addInput(withBatch(in));
            } else if (used.contains(in.getName())) {
                out.addInput(in); // initializers listed as inputs by old exporters
            }
        }
        if (original.getIrVersion() < IR_INITIALIZERS_NEED_NOT_BE_INPUTS) {
            // IR 3 (the model zoo's opset 7/8 files): every initializer must also be a graph input
            Set<String> listed = new HashSet<>();
            out.getInputList().forEach(v -> listed.add(v.getName()));
            for (OnnxMl.TensorProto t : out.getInitializerList()) {
                if (listed.add(t.getName())) {
                    out.addInput(initializerInput(t));
                }
            }
        }
        out.addOutput(classesOutput(LOGITS, net.numClasses()));
        out.addOutput(classesOutput(PROBABILITIES, net.numClasses()));

        OnnxMl.ModelProto exported = OnnxMl.ModelProto.newBuilder().setIrVersion(original.getIrVersion())
                .addAllOpsetImport(original.getOpsetImportList()).setProducerName("edgeloop-trainer")
                .setProducerVersion("0.1").setDomain(original.getDomain()).setModelVersion(original.getModelVersion())
                .setDocString(original.getDocString()).setGraph(out).build();
        // a package takes N×C×H×W like every other, whatever the base took
        return net.channelsLast() ? ChannelsFirst.adapt(exported, graph.inputName()) : exported;
    }

    /**
     * What the card and the log say when the base was float16, e.g. {@code base weights were float16; exported
     * float32, 13.6 MB (trained in float32; the edge agent takes float32 inputs and outputs)}; empty for a float32
     * base. The export is always float32: the import trains the float32 twin ({@code Float16Widener}), and the
     * edge agent and the model card check accept FLOAT inputs and outputs only.
     */
    public static Optional<String> precisionNote(OnnxClassifierNetwork net, OnnxMl.ModelProto exported) {
        BasePrecision base = net.basePrecision();
        if (!base.hasFloat16()) {
            return Optional.empty();
        }
        String what = base.float16Initializers() > 0 ? "base weights were float16" : "the base graph was float16";
        return Optional.of(what + "; exported float32, " + size(exported.getSerializedSize()) + " (trained in float32;"
                + " the edge agent takes float32 inputs and outputs)");
    }

    /** e.g. {@code 13.6 MB}, {@code 9 KB} below a tenth of a megabyte. */
    static String size(long bytes) {
        return bytes >= 100_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%d KB", Math.max(1, Math.round(bytes / 1e3)));
    }

    private static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.ValueInfoProto withBatch(OnnxMl.ValueInfoProto in) {
        OnnxMl.ValueInfoProto.Builder b = in.toBuilder();
        OnnxMl.TensorShapeProto.Builder shape = b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        shape.setDim(0, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        return b.build();
    }

    private static OnnxMl.ValueInfoProto initializerInput(OnnxMl.TensorProto t) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(t.getName()).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape)))
                .build();
    }

    private static OnnxMl.ValueInfoProto classesOutput(String name, int classes) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(classes)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}

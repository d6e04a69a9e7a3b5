package io.edgeloop.trainer.quantize;

import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxNode;
import io.edgeloop.trainer.onnx.TensorProtos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds every inference-mode BatchNormalization that directly follows a Conv into that Conv's weights and bias:
 * with {@code k = gamma / sqrt(var + eps)} per output channel, {@code W' = W * k} and {@code b' = (b - mean) * k +
 * beta}. The folded graph computes the same function up to float rounding, and it is what quantisation needs: ONNX
 * Runtime fuses QDQ around a Conv into QLinearConv, never around a BatchNormalization, and the int8 weight scales
 * must be those of the weights that really run. A BatchNormalization that follows anything else (or whose Conv
 * output is used elsewhere, or whose parameters are not initializers) stays as it is and runs in float.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /** The folded model and how many BatchNormalization nodes were folded. */
    public record Folded(OnnxMl.ModelProto model, int folded) {
    }

    /** Folds what can be folded; the model's metadata, inputs and outputs are kept. */
    public static Folded fold(OnnxMl.ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>(graph.initializers());
        Set<String> graphOutputs = new HashSet<>(graph.outputNames());
        Set<Integer> removed = new HashSet<>();
        Map<Integer, OnnxMl.NodeProto> replaced = new LinkedHashMap<>();
        int folded = 0;
        for (OnnxNode bn : graph.nodes()) {
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1) {
                continue; // training-mode BN (running-stat outputs) is not an inference graph's
            }
            OnnxNode conv = graph.producer(bn.input(0));
            if (conv == null || !conv.opType().equals("Conv") || graph.consumers(bn.input(0)).size() != 1
                    || graphOutputs.contains(bn.input(0)) || replaced.containsKey(conv.index())) {
                continue;
            }
            String weightName = conv.input(1);
            String biasName = conv.input(2);
            if (!inits.containsKey(weightName) || graph.consumers(weightName).size() != 1
                    || (!biasName.isEmpty() && (!inits.containsKey(biasName)
                    || graph.consumers(biasName).size() != 1))
                    || !allInitializers(inits, bn.inputs().subList(1, 5))) {
                continue;
            }
            OnnxMl.TensorProto weightProto = inits.get(weightName);
            float[] w = TensorProtos.floats(weightProto);
            long channels = weightProto.getDims(0);
            float[] gamma = TensorProtos.floats(inits.get(bn.input(1)));
            float[] beta = TensorProtos.floats(inits.get(bn.input(2)));
            float[] mean = TensorProtos.floats(inits.get(bn.input(3)));
            float[] var = TensorProtos.floats(inits.get(bn.input(4)));
            if (gamma.length != channels || beta.length != channels || mean.length != channels
                    || var.length != channels) {
                continue;
            }
            float[] b = biasName.isEmpty() ? new float[(int) channels] : TensorProtos.floats(inits.get(biasName));
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            int per = w.length / (int) channels;
            float[] newW = new float[w.length];
            float[] newB = new float[(int) channels];
            for (int c = 0; c < channels; c++) {
                double k = gamma[c] / Math.sqrt(var[c] + eps);
                for (int i = c * per; i < (c + 1) * per; i++) {
                    newW[i] = (float) (w[i] * k);
                }
                newB[c] = (float) ((b[c] - mean[c]) * k + beta[c]);
            }
            Shape wShape = TensorProtos.shape(weightProto);
            inits.put(weightName, TensorProtos.floatTensor(weightName, wShape, newW));
            String newBiasName = biasName.isEmpty() ? uniqueName(inits, conv.name() + ".folded_bias") : biasName;
            inits.put(newBiasName, TensorProtos.floatTensor(newBiasName, new Shape(channels), newB));
            // the Conv now writes the BN's output tensor directly, so every consumer stays wired as it was
            OnnxMl.NodeProto convProto = model.getGraph().getNode(conv.index());
            OnnxMl.NodeProto.Builder nb = convProto.toBuilder().clearInput().addInput(conv.input(0))
                    .addInput(weightName).addInput(newBiasName).clearOutput().addOutput(bn.outputs().get(0));
            replaced.put(conv.index(), nb.build());
            removed.add(bn.index());
            for (String p : bn.inputs().subList(1, 5)) {
                if (graph.consumers(p).size() == 1) {
                    inits.remove(p);
                }
            }
            folded++;
        }
        if (folded == 0) {
            return new Folded(model, 0);
        }
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearNode().clearInitializer();
        for (int i = 0; i < model.getGraph().getNodeCount(); i++) {
            if (!removed.contains(i)) {
                g.addNode(replaced.getOrDefault(i, model.getGraph().getNode(i)));
            }
        }
        g.addAllInitializer(inits.values());
        // initializers listed as graph inputs (IR 3 files) must not outlive their initializer
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : model.getGraph().getInputList()) {
            if (!graph.initializers().containsKey(v.getName()) || inits.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        g.clearInput().addAllInput(inputs);
        g.clearValueInfo(); // shapes of removed tensors; ORT infers them again
        return new Folded(model.toBuilder().setGraph(g).build(), folded);
    }

    private static boolean allInitializers(Map<String, OnnxMl.TensorProto> inits, List<String> names) {
        for (String n : names) {
            if (!inits.containsKey(n)) {
                return false;
            }
        }
        return true;
    }

    static String uniqueName(Map<String, ?> taken, String wanted) {
        String name = wanted;
        for (int i = 2; taken.containsKey(name); i++) {
            name = wanted + "_" + i;
        }
        return name;
    }
}

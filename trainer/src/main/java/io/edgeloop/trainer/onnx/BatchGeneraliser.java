package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a static-batch export trainable and exportable with any batch size. {@code torch.onnx.export} without
 * dynamic axes bakes the batch size into Reshape targets (e.g. ShuffleNet's channel shuffle reshapes to
 * [1, 2, C/2, H, W] via a Shape/Gather/Concat chain with a constant 1). Since height and width are fixed, every
 * Reshape target is a constant apart from the batch: each is evaluated once for the declared input shape and replaced
 * by an initializer whose first dim is 0 ("copy the input's batch") when it equals the declared batch. The graph input
 * gets a symbolic batch dim; the now unused shape chains drop out of the executed and exported graph.
 */
public final class BatchGeneraliser {

    private BatchGeneraliser() {
    }

    /** The model with a symbolic batch; returned unchanged when its batch dim is already symbolic. */
    public static OnnxMl.ModelProto generalise(OnnxMl.ModelProto model, NDManager manager) {
        OnnxGraph graph = OnnxGraph.of(model);
        long[] dims = graph.inputDims();
        if (dims.length == 0 || dims[0] <= 0) {
            return model;
        }
        long batch = dims[0];
        List<OnnxNode> reshapes = graph.nodes().stream().filter(n -> "Reshape".equals(n.opType())
                && n.attributes().getInt("allowzero", 0) == 0 && !n.input(1).isEmpty()).toList();
        Map<String, long[]> newTargets = new LinkedHashMap<>();
        if (!reshapes.isEmpty()) {
            List<String> probes = new ArrayList<>();
            for (OnnxNode r : reshapes) {
                probes.add(r.input(0));
                probes.add(r.input(1));
            }
            try (NDManager temp = manager.newSubManager()) {
                OnnxGraphBlock block = new OnnxGraphBlock(graph, probes.stream()
                        .filter(p -> !graph.initializers().containsKey(p)).distinct().toList(), temp, false);
                List<String> computed = probes.stream().filter(p -> !graph.initializers().containsKey(p)).distinct()
                        .toList();
                NDList out = block.forward(new ParameterStore(temp, false),
                        new NDList(temp.zeros(new Shape(dims), DataType.FLOAT32)), false, null);
                Map<String, NDArray> values = new LinkedHashMap<>();
                for (int i = 0; i < computed.size(); i++) {
                    values.put(computed.get(i), out.get(i));
                }
                for (OnnxNode r : reshapes) {
                    NDArray target = values.containsKey(r.input(1)) ? values.get(r.input(1))
                            : TensorProtos.toNDArray(graph.initializers().get(r.input(1)), temp);
                    long[] t = target.toType(DataType.INT64, false).toLongArray();
                    long dataBatch = values.containsKey(r.input(0)) ? values.get(r.input(0)).getShape().get(0)
                            : TensorProtos.shape(graph.initializers().get(r.input(0))).get(0);
                    if (t.length > 0 && t[0] == batch && dataBatch == batch) {
                        t[0] = 0;
                        newTargets.put(r.name(), t);
                    }
                }
            }
        }
        OnnxMl.ModelProto.Builder b = model.toBuilder();
        OnnxMl.GraphProto.Builder g = b.getGraphBuilder();
        g.clearValueInfo();
        for (int i = 0; i < g.getInputCount(); i++) {
            if (g.getInput(i).getName().equals(graph.inputName())) {
                OnnxMl.ValueInfoProto.Builder in = g.getInputBuilder(i);
                in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0,
                        OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxNode n = graph.nodes().get(i);
            long[] t = newTargets.get(n.name());
            if (t != null && "Reshape".equals(n.opType())) {
                String name = n.name() + "/edgeloop_batch_shape";
                g.getNodeBuilder(i).setInput(1, name);
                g.addInitializer(TensorProtos.int64Tensor(name, t));
            }
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            OnnxMl.TensorShapeProto.Builder s = g.getOutputBuilder(i).getTypeBuilder().getTensorTypeBuilder()
                    .getShapeBuilder();
            if (s.getDimCount() > 0 && s.getDim(0).hasDimValue() && s.getDim(0).getDimValue() == batch) {
                s.setDim(0, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            }
        }
        return b.build();
    }
}

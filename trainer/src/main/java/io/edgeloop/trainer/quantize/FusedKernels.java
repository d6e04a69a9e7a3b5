package io.edgeloop.trainer.quantize;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.trainer.onnx.OnnxGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What ONNX Runtime really runs for a model: the op histogram of the graph after its extended optimisations (where
 * its QDQ fusions happen), read back from ONNX Runtime's own optimised-model output. For a QDQ model the int8
 * kernels show up as QLinearConv, QGemm, QLinearAdd, QLinearGlobalAveragePool…; a QuantizeLinear/DequantizeLinear
 * left over marks a place that runs in float.
 */
public final class FusedKernels {

    /** ONNX Runtime ops that compute in int8. */
    public static final Set<String> INT8_OPS = Set.of("QLinearConv", "QGemm", "QLinearMatMul",
            "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearConcat",
            "MatMulIntegerToFloat", "ConvInteger", "MatMulInteger");

    private FusedKernels() {
    }

    /** Op type → count in the optimised graph (ORT_ENABLE_EXTENDED, 1 thread). */
    public static Map<String, Integer> of(byte[] model) throws OrtException, IOException {
        Path dir = Files.createTempDirectory("edgeloop-fused-");
        Path optimised = dir.resolve("optimised.onnx");
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                options.setIntraOpNumThreads(1);
                options.setOptimizedModelFilePath(optimised.toString());
                try (OrtSession ignored = env.createSession(model, options)) {
                    // creating the session writes the optimised graph
                }
            }
            OnnxMl.ModelProto m = OnnxGraph.read(optimised);
            Map<String, Integer> ops = new TreeMap<>();
            for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
                ops.merge(n.getOpType(), 1, Integer::sum);
            }
            return ops;
        } finally {
            Files.deleteIfExists(optimised);
            Files.deleteIfExists(dir);
        }
    }

    /** How many nodes of the histogram run in int8. */
    public static int int8Nodes(Map<String, Integer> ops) {
        return ops.entrySet().stream().filter(e -> INT8_OPS.contains(e.getKey())).mapToInt(Map.Entry::getValue).sum();
    }
}

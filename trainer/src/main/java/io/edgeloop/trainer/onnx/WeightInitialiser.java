package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Re-initialises an imported backbone for the SCRATCH baseline: Conv/Gemm/MatMul weights Kaiming-uniform
 * (±√(6/fan_in), ReLU gain), biases 0, BatchNorm/LayerNorm γ 1 and β 0, running mean 0 and variance 1. Other float
 * parameters (e.g. ConvNeXt's layer scale) keep their values: their pretrained value is part of the architecture's
 * initialisation recipe, not learnt knowledge worth erasing. Seeded; parameters are visited in graph order.
 */
final class WeightInitialiser {

    private WeightInitialiser() {
    }

    static void reinitialise(OnnxGraphBlock block, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Parameter> params = block.parametersByInitializer();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            NDArray a = p.getArray();
            int n = Math.toIntExact(a.getShape().size());
            float[] v = new float[n];
            switch (p.getType().name()) {
                case "WEIGHT":
                    double bound = Math.sqrt(6.0 / fanIn(block, e.getKey(), a.getShape().getShape()));
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                    }
                    break;
                case "GAMMA":
                case "RUNNING_VAR":
                    Arrays.fill(v, 1f);
                    break;
                case "BIAS":
                case "BETA":
                case "RUNNING_MEAN":
                    break;
                default:
                    continue;
            }
            a.set(v);
        }
    }

    /** Inputs per output unit: Conv C/g·k…, Gemm/MatMul the reduced dimension. */
    private static long fanIn(OnnxGraphBlock block, String initializer, long[] shape) {
        for (OnnxNode n : block.nodes()) {
            if (!n.inputs().contains(initializer)) {
                continue;
            }
            switch (n.opType()) {
                case "Conv":
                    long f = 1;
                    for (int i = 1; i < shape.length; i++) {
                        f *= shape[i];
                    }
                    return f;
                case "Gemm":
                    boolean transB = n.attributes().getInt("transB", 0) != 0;
                    return transB ? shape[1] : shape[0];
                case "MatMul":
                    return shape.length >= 2 ? shape[shape.length - 2] : shape[0];
                default:
                    break;
            }
        }
        return shape.length > 1 ? shape[1] : Math.max(1, shape[0]);
    }
}

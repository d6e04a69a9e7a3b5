package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite differences on single-op graphs for the ops with workarounds (explicit pads, masks, flips, slices, reshapes):
 * the gradient of Σ y·r with respect to the input, from the engine's autograd, matches central differences.
 */
class GradientCheckTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"avgpool_cip0", "avgpool_ceil_cip1", "avgpool_ceil", "maxpool_asym", "maxpool_dilated",
        "maxpool_ceil", "pad_reflect", "pad_edge", "pad_negative", "softmax_op11", "logsoftmax", "slice_negstep",
        "slice", "conv_asym_stride", "conv_group_dil", "hardswish", "hardsigmoid", "layernorm", "gemm_alpha_beta",
        "gather_vector", "split_op13", "batchnorm", "reducemean", "reducesum", "globalmaxpool", "erf",
                "clip_max_only", "cast", "flatten_axis2",
        "lrn", "lrn_size1", "lrn_defaults", "sum_three", "sum_one", "max", "min", "mean", "batchnorm_op7_spatial",
        "batchnorm_op7_spatial0", "maxpool_op10_ceil_pads", "maxpool_op8_asym", "avgpool_op7_cip1",
        "avgpool_op10_ceil_cip0", "pad_op7_reflect", "pad_op9_constant", "softmax_op9_4d", "logsoftmax_op7_axis2",
        "clip_op7", "reducemean_op7", "split_op7", "gemm_op9_bias_scalar", "dropout_op7", "slice_op9_attrs"})
    void gradientMatchesFiniteDifferences(String name) {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops").resolve(name + ".onnx"));
        OnnxGraph graph = OnnxGraph.of(model);
        OrtReference.Tensor input = OrtReference.randomInputs(model, 99, 2, false).get(0);
        Random random = new Random(5);
        try (NDManager owner = manager.newSubManager(); NDManager batch = manager.newSubManager()) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph, graph.outputNames(), owner, false);
            NDArray x = input.toNDArray(batch);
            NDList probe = block.forward(new ParameterStore(batch, false), new NDList(x), false);
            float[][] weights = new float[probe.size()][];
            for (int o = 0; o < probe.size(); o++) {
                weights[o] = new float[(int) probe.get(o).size()];
                for (int i = 0; i < weights[o].length; i++) {
                    weights[o][i] = (float) random.nextGaussian();
                }
            }
            x.setRequiresGradient(true);
            float[] analytic;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList y = block.forward(new ParameterStore(batch, false), new NDList(x), false);
                NDArray loss = null;
                for (int o = 0; o < y.size(); o++) {
                    NDArray term = y.get(o).mul(batch.create(weights[o], y.get(o).getShape())).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
                analytic = x.getGradient().toFloatArray();
            }
            float[] values = input.values();
            double eps = 1e-3;
            double worst = 0;
            int nonZero = 0;
            // half the samples where autograd says the gradient is non-zero (sparse for max pooling), half anywhere
            java.util.List<Integer> nonZeroAnalytic = new java.util.ArrayList<>();
            for (int i = 0; i < analytic.length; i++) {
                if (analytic[i] != 0) {
                    nonZeroAnalytic.add(i);
                }
            }
            for (int k = 0; k < 24; k++) {
                int i = k % 2 == 0 && !nonZeroAnalytic.isEmpty()
                        ? nonZeroAnalytic.get(random.nextInt(nonZeroAnalytic.size())) : random.nextInt(values.length);
                double numeric = (loss(block, batch, values, input.shape(), i, eps, weights)
                        - loss(block, batch, values, input.shape(), i, -eps, weights)) / (2 * eps);
                double err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric));
                worst = Math.max(worst, err);
                nonZero += Math.abs(numeric) > 1e-3 ? 1 : 0;
            }
            assertTrue(nonZero >= 3, name + ": only " + nonZero + " of 24 sampled inputs have a gradient");
            System.out.printf("gradient %-20s worst relative error %.3g%n", name, worst);
            assertTrue(worst < 5e-3, name + ": autograd differs from finite differences by " + worst);
        }
    }

    /**
     * Gradients must not depend on garbage collection between forward and backward: DJL's number arithmetic keeps
     * autograd inputs in Java buffers that a GC frees (see ScalarTensor). Runs the backward pass after filling freed
     * direct memory with NaN and collecting, and compares with a run without.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hardswish", "hardsigmoid", "globalavgpool", "reducemean", "gemm_alpha_beta",
        "conv_basic", "batchnorm", "layernorm"})
    void gradientSurvivesGarbageCollection(String name) {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops").resolve(name + ".onnx"));
        OnnxGraph graph = OnnxGraph.of(model);
        OrtReference.Tensor input = OrtReference.randomInputs(model, 99, 2, false).get(0);
        try (NDManager owner = manager.newSubManager()) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph, graph.outputNames(), owner, false);
            float[] quiet = inputGradient(block, input, false);
            float[] collected = inputGradient(block, input, true);
            assertTrue(java.util.Arrays.equals(quiet, collected), name + ": gradient changed by a GC, e.g. "
                    + quiet[0] + " vs " + collected[0]);
            float sum = 0;
            for (float v : quiet) {
                sum += Math.abs(v);
            }
            assertTrue(sum > 0, name + ": zero gradient");
        }
    }

    private static float[] inputGradient(OnnxGraphBlock block, OrtReference.Tensor input, boolean collect) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = input.toNDArray(batch);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = block.forward(new ParameterStore(batch, false), new NDList(x), false).get(0)
                        .square().sum();
                if (collect) {
                    for (int i = 0; i < 300; i++) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(1 << 14);
                        for (int j = 0; j < b.capacity(); j += 4) {
                            b.putFloat(j, Float.NaN);
                        }
                    }
                    System.gc();
                    try {
                        Thread.sleep(100); // the buffers' cleaner runs on its own thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < 300; i++) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4);
                        b.putFloat(0, Float.NaN);
                    }
                }
                gc.backward(loss);
            }
            return x.getGradient().toFloatArray();
        }
    }

    private static double loss(OnnxGraphBlock block, NDManager parent, float[] values, long[] shape, int index,
            double delta, float[][] weights) {
        float[] v = values.clone();
        v[index] += (float) delta;
        try (NDManager m = parent.newSubManager()) {
            NDList y = block.forward(new ParameterStore(m, false), new NDList(m.create(v, new Shape(shape))), false);
            double sum = 0;
            for (int o = 0; o < y.size(); o++) {
                float[] out = y.get(o).toFloatArray();
                for (int i = 0; i < out.length; i++) {
                    sum += (double) out[i] * weights[o][i];
                }
            }
            return sum;
        }
    }
}

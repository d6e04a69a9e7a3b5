package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BatchNormalization in training mode (single-node fixture {@code ops/batchnorm.onnx}: 4 channels, epsilon 1e-3,
 * momentum 0.8): the output is normalised with the biased batch statistics, the running statistics follow ONNX's
 * update with the biased variance, and the scale and shift receive gradients. Reference values in double precision.
 */
class BatchNormTrainingTest {

    @Test
    void trainingModeNormalisesWithBatchStatisticsAndUpdatesRunningOnesLikeOnnx() {
        OnnxGraph graph = OnnxGraph.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("ops").resolve("batchnorm.onnx")));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph, List.of("y"), manager, false);
            float[] scale = block.parametersByInitializer().get("s").getArray().toFloatArray();
            float[] shift = block.parametersByInitializer().get("bb").getArray().toFloatArray();
            float[] oldMean = block.parametersByInitializer().get("m").getArray().toFloatArray();
            float[] oldVar = block.parametersByInitializer().get("v").getArray().toFloatArray();
            block.parametersByInitializer().get("s").getArray().setRequiresGradient(true);
            block.parametersByInitializer().get("bb").getArray().setRequiresGradient(true);
            int n = 2;
            int c = 4;
            int plane = 81;
            float[] x = new float[n * c * plane];
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextDouble() * 4 - 1);
            }
            float[] y;
            try (NDManager batch = manager.newSubManager();
                 GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray input = batch.create(x, new Shape(n, c, 9, 9));
                NDArray out = block.forward(new ParameterStore(batch, false), new NDList(input), true)
                        .singletonOrThrow();
                y = out.toFloatArray();
                collector.backward(out.mul(out).sum());
            }
            float[] newMean = block.parametersByInitializer().get("m").getArray().toFloatArray();
            float[] newVar = block.parametersByInitializer().get("v").getArray().toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                double sq = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < plane; i++) {
                        double e = x[(b * c + ch) * plane + i];
                        sum += e;
                        sq += e * e;
                    }
                }
                double mean = sum / (n * plane);
                double var = sq / (n * plane) - mean * mean;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < plane; i++) {
                        int k = (b * c + ch) * plane + i;
                        double expected = (x[k] - mean) / Math.sqrt(var + 1e-3) * scale[ch] + shift[ch];
                        assertEquals(expected, y[k], 1e-4, "y at channel " + ch + ", index " + k);
                    }
                }
                assertEquals(0.8 * oldMean[ch] + 0.2 * mean, newMean[ch], 1e-5, "running_mean[" + ch + "]");
                double expectedVar = 0.8 * oldVar[ch] + 0.2 * var;
                assertEquals(expectedVar, newVar[ch], 1e-5 * Math.max(1, expectedVar), "running_var[" + ch + "]");
            }
            // d(Σy²)/dβ = 2Σy per channel: non-zero for shifts away from 0
            float[] shiftGrad = block.parametersByInitializer().get("bb").getArray().getGradient().toFloatArray();
            float[] scaleGrad = block.parametersByInitializer().get("s").getArray().getGradient().toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                double sumY = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < plane; i++) {
                        sumY += y[(b * c + ch) * plane + i];
                    }
                }
                assertEquals(2 * sumY, shiftGrad[ch], 1e-3 * Math.max(1, Math.abs(2 * sumY)), "dβ[" + ch + "]");
                assertTrue(Float.isFinite(scaleGrad[ch]) && scaleGrad[ch] != 0, "dγ[" + ch + "] = " + scaleGrad[ch]);
            }
        }
    }

    /**
     * BatchNormalization-7 with spatial=0 ({@code ops/batchnorm_op7_spatial0.onnx}: parameters 6×7×7, epsilon 1e-3,
     * default momentum 0.9): statistics per activation over the batch axis only, running ones updated like ONNX.
     */
    @Test
    void perActivationBatchNormTrainsOverTheBatchAxis() {
        OnnxGraph graph = OnnxGraph.of(OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("batchnorm_op7_spatial0.onnx")));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            OnnxGraphBlock block = new OnnxGraphBlock(graph, List.of("y"), manager, false);
            float[] scale = block.parametersByInitializer().get("s").getArray().toFloatArray();
            float[] shift = block.parametersByInitializer().get("bb").getArray().toFloatArray();
            float[] oldMean = block.parametersByInitializer().get("m").getArray().toFloatArray();
            float[] oldVar = block.parametersByInitializer().get("v").getArray().toFloatArray();
            block.parametersByInitializer().get("bb").getArray().setRequiresGradient(true);
            int n = 3;
            int per = 6 * 7 * 7;
            float[] x = new float[n * per];
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextDouble() * 4 - 1);
            }
            float[] y;
            try (NDManager batch = manager.newSubManager();
                 GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = block.forward(new ParameterStore(batch, false),
                        new NDList(batch.create(x, new Shape(n, 6, 7, 7))), true).singletonOrThrow();
                y = out.toFloatArray();
                collector.backward(out.sum());
            }
            float[] newMean = block.parametersByInitializer().get("m").getArray().toFloatArray();
            float[] newVar = block.parametersByInitializer().get("v").getArray().toFloatArray();
            for (int k = 0; k < per; k++) {
                double mean = 0;
                for (int b = 0; b < n; b++) {
                    mean += x[b * per + k];
                }
                mean /= n;
                double var = 0;
                for (int b = 0; b < n; b++) {
                    var += (x[b * per + k] - mean) * (x[b * per + k] - mean);
                }
                var /= n;
                for (int b = 0; b < n; b++) {
                    double expected = (x[b * per + k] - mean) / Math.sqrt(var + 1e-3) * scale[k] + shift[k];
                    assertEquals(expected, y[b * per + k], 1e-4, "y[" + b + ", " + k + "]");
                }
                assertEquals(0.9 * oldMean[k] + 0.1 * mean, newMean[k], 1e-5, "running_mean[" + k + "]");
                assertEquals(0.9 * oldVar[k] + 0.1 * var, newVar[k], 1e-5 * Math.max(1, newVar[k]),
                        "running_var[" + k + "]");
            }
            // d(Σy)/dβ = batch size for every activation
            float[] shiftGrad = block.parametersByInitializer().get("bb").getArray().getGradient().toFloatArray();
            for (int k = 0; k < per; k++) {
                assertEquals(n, shiftGrad[k], 1e-5, "dβ[" + k + "]");
            }
        }
    }
}

package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real torchvision architectures (random weights, reduced widths) exported at opsets 11/13/17, static and dynamic
 * batch, BatchNorm folded or preserved, plus a tf2onnx-style NHWC graph, plus model-zoo stand-ins (opset 7–10,
 * Caffe2-style, tf2onnx EfficientNet-lite; see make_zoo_fixtures.py): the imported graph's output equals ONNX
 * Runtime's (max |diff| ≤ 1e-4).
 */
class ArchitectureParityTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Stream<String> archFixtures() throws IOException {
        try (Stream<Path> files = Files.list(OrtReference.FIXTURES.resolve("arch"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archFixtures")
    void matchesOnnxRuntime(String file) throws Exception {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("arch").resolve(file));
        List<OrtReference.Tensor> inputs = OrtReference.randomInputs(model, 7, 3, false);
        List<OrtReference.Tensor> expected = OrtReference.run(model, inputs);
        List<OrtReference.Tensor> actual = OrtReference.runDjl(model, inputs, manager);
        assertEquals(expected.size(), actual.size(), "number of outputs");
        double max = OrtReference.maxAbsDiff(expected.get(0), actual.get(0));
        System.out.printf("arch parity %-40s max|diff| %.3g%n", file, max);
        assertTrue(max <= 1e-4, file + ": max |DJL − ORT| = " + max);
    }

    /** Static-batch exports, generalised to a symbolic batch, run a batch of 3 like ORT runs 3 batches of one. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shufflenet_v2_op11_static_fold",
        "resnet18_op11_static_fold", "mobilenet_v2_op13_static_fold", "densenet_op17_static_fold",
        "zoo_mobilenetv2_op8_static_fold", "zoo_squeezenet1_1_op9_static", "caffe2_resnet_sum_op9",
        "caffe2_shufflenet_v1_op9", "caffe2_googlenet_lrn_op10", "caffe2_caffenet_lrn_op8",
        "tf2onnx_efficientnet_lite4_static_op11", "caffe2_squeezenet1_0_op7"})
    void staticBatchExportsRunAnyBatchAfterGeneralising(String name) throws Exception {
        OnnxMl.ModelProto original = OnnxGraph.read(OrtReference.FIXTURES.resolve("arch").resolve(name + ".onnx"));
        OnnxMl.ModelProto general = BatchGeneraliser.generalise(original, manager);
        assertEquals("N", general.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0)
                .getDimParam());
        List<OrtReference.Tensor> three = OrtReference.randomInputs(general, 5, 3, false);
        OrtReference.Tensor djl = OrtReference.runDjl(general, three, manager).get(0);
        float[] x = three.get(0).values();
        int per = x.length / 3;
        int classes = djl.values().length / 3;
        double max = 0;
        for (int i = 0; i < 3; i++) {
            float[] one = java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per);
            long[] shape = three.get(0).shape().clone();
            shape[0] = 1;
            OrtReference.Tensor expected = OrtReference.run(original, List.of(new OrtReference.Tensor(one, shape)))
                    .get(0);
            float[] row = java.util.Arrays.copyOfRange(djl.values(), i * classes, (i + 1) * classes);
            max = Math.max(max, OrtReference.maxAbsDiff(expected,
                    new OrtReference.Tensor(row, expected.shape())));
        }
        System.out.printf("static→dynamic %-34s max|diff| %.3g%n", name, max);
        assertTrue(max <= 1e-4, name + ": max |DJL − ORT| = " + max);
    }
}

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
 * batch, BatchNorm folded or preserved, plus a tf2onnx-style NHWC graph: the imported graph's output equals ONNX
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
}

package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported op: DJL's forward output equals ONNX Runtime's on seeded random inputs (max |diff| ≤ 1e-4). */
class OpParityTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Stream<String> opFixtures() throws IOException {
        try (Stream<Path> files = Files.list(OrtReference.FIXTURES.resolve("ops"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
                    .filter(n -> !n.startsWith("unsupported_")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opFixtures")
    void matchesOnnxRuntime(String file) throws Exception {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops").resolve(file));
        List<OrtReference.Tensor> inputs = OrtReference.randomInputs(model, 42, 2, file.startsWith("sqrt"));
        List<OrtReference.Tensor> expected = OrtReference.run(model, inputs);
        List<OrtReference.Tensor> actual = OrtReference.runDjl(model, inputs, manager);
        assertEquals(expected.size(), actual.size(), "number of outputs");
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, OrtReference.maxAbsDiff(expected.get(i), actual.get(i)));
        }
        System.out.printf("op parity %-28s max|diff| %.3g%n", file, max);
        assertTrue(max <= 1e-4, file + ": max |DJL − ORT| = " + max);
    }

    @Test
    void unsupportedOpIsNamedWithNodeAndSupportedSet() {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("unsupported_lstm.onnx"));
        OnnxGraph graph = OnnxGraph.of(model);
        try (NDManager owner = manager.newSubManager()) {
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> new OnnxGraphBlock(graph, graph.outputNames(), owner, false));
            assertEquals("unsupported ONNX operator 'LSTM' in node 'unsupported_lstm_node'; supported: Abs, Add,"
                    + " AveragePool, BatchNormalization, Cast, Clip, Concat, Constant, ConstantOfShape, Conv, Div,"
                    + " Dropout, Erf, Exp, Flatten, Gather, Gemm, GlobalAveragePool, GlobalMaxPool, HardSigmoid,"
                    + " HardSwish, Identity, LRN, LayerNormalization, LogSoftmax, MatMul, Max, MaxPool, Mean, Min,"
                    + " Mul, Neg, Pad, Pow, ReduceMean, ReduceSum, Relu, Reshape, Shape, Sigmoid, Slice, Softmax,"
                    + " Split, Sqrt, Squeeze, Sub, Sum, Tanh, Transpose, Unsqueeze", e.getMessage());
        }
    }

    /** ONNX allows an even LRN size, ONNX Runtime does not: such a model could not be deployed,
            so import refuses it. */
    @Test
    void evenLrnSizeIsRefusedLikeOnnxRuntimeRefusesIt() {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("unsupported_lrn_even_size.onnx"));
        List<OrtReference.Tensor> inputs = OrtReference.randomInputs(model, 42, 2, false);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OrtReference.runDjl(model, inputs, manager));
        assertEquals("LRN node 'unsupported_lrn_even_size_node': attribute 'size' is 4; allowed: an odd number ≥ 1"
                + " (ONNX Runtime rejects even sizes)", e.getMessage());
        ai.onnxruntime.OrtException ort = assertThrows(ai.onnxruntime.OrtException.class,
                () -> OrtReference.run(model, inputs));
        assertTrue(ort.getMessage().contains("size_ % 2 == 1"), ort.getMessage());
    }

    /**
     * Zoo models at opset 3–6 (legacy broadcast attributes, BatchNormalization is_test …) are below what ONNX Runtime
     * runs: the importer refuses them up front and says how to convert.
     */
    @Test
    void opsetBelowSevenIsRefusedWithTheWayOut() {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("ops")
                .resolve("unsupported_opset6_add.onnx"));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxGraph.of(model));
        assertEquals("model opset 6 is not supported; need 7 or newer (ONNX Runtime runs opset 7 and newer);"
                + " convert it up first, e.g. onnx.version_converter.convert_version(model, 9)", e.getMessage());
        ai.onnxruntime.OrtException ort = assertThrows(ai.onnxruntime.OrtException.class,
                () -> OrtReference.run(model, OrtReference.randomInputs(model, 1, 2, false)));
        assertTrue(ort.getMessage().contains("Could not find an implementation for Add(6) node"), ort.getMessage());
    }
}

package io.edgeloop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.LinearHead;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.onnx.TensorProtos;
import io.edgeloop.trainer.testing.TrainingSteps;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Export after a few training steps (weights and BatchNorm statistics changed): ONNX Runtime on the exported model
 * agrees with DJL on 32+ images, for BN folded and preserved, static and dynamic batch, NCHW and NHWC graphs.
 */
class OnnxExporterTest {

    private static final Path ARCH = Paths.get("src", "test", "resources", "onnx", "arch");
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "resnet18_op13_dyn_bn, FULL, ''",
        "resnet18_op11_static_fold, PARTIAL, ''",
        "mobilenet_v2_op17_dyn_bn, PARTIAL, ''",
        "shufflenet_v2_op11_static_fold, FULL, ''",
        "convnext_op13_dyn_fold, FULL, ''",
        "googlenet_op13_dyn_fold, HEAD, ''",
        "squeezenet1_1_op17_static_fold, FULL, ''",
        "keras_nhwc_op13, FULL, ''",
    })
    void exportAfterTrainingMatchesOnnxRuntime(String file, FineTuneStrategy strategy, String cutAt)
            throws Exception {
        checkExport(file, strategy, cutAt);
    }

    /** The remaining architectures (same check; tagged slow to keep the default run short). */
    @org.junit.jupiter.api.Tag("slow")
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "mobilenet_v2_op11_dyn_fold, FULL, ''",
        "mobilenet_v3_small_op17_dyn_bn, FULL, ''",
        "shufflenet_v2_op13_dyn_bn, FULL, ''",
        "efficientnet_op17_dyn_bn, FULL, ''",
        "densenet_op11_dyn_bn, FULL, ''",
        "regnet_op17_dyn_fold, FULL, ''",
        "mnasnet_op13_dyn_fold, FULL, ''",
        "convnext_op17_dyn_fold, FULL, ''",
        "mobilenet_v3_small_op11_dyn_fold, PARTIAL, ''",
    })
    void exportOfEveryOtherArchitectureMatchesOnnxRuntime(String file, FineTuneStrategy strategy, String cutAt)
            throws Exception {
        checkExport(file, strategy, cutAt);
    }

    private void checkExport(String file, FineTuneStrategy strategy, String cutAt) throws Exception {
        HeadSpec spec = new HeadSpec(3, cutAt.isEmpty() ? null : cutAt, 9);
        try (OnnxClassifierNetwork net = OnnxImporter.load(ARCH.resolve(file + ".onnx"), spec, manager)) {
            float[] firstBefore = firstParameter(net);
            TrainingSteps.sgd(net, strategy, 2);
            if (strategy != FineTuneStrategy.HEAD && strategy != FineTuneStrategy.PARTIAL) {
                assertFalse(java.util.Arrays.equals(firstBefore, firstParameter(net)), "weights did not change");
            }
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 11);
            System.out.printf("export %-34s %s%n", file, r);
            assertTrue(r.passed(), file + ": " + r);

            assertEquals(net.graph().model().getOpsetImportList(), exported.getOpsetImportList());
            OnnxMl.GraphProto g = exported.getGraph();
            assertEquals(java.util.List.of(OnnxExporter.LOGITS, OnnxExporter.PROBABILITIES),
                    g.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
            assertEquals(OnnxExporter.BATCH, g.getInput(0).getType().getTensorType().getShape().getDim(0)
                    .getDimParam());
            // every package takes N×C×H×W, NHWC bases too (through a Transpose in front)
            assertEquals(3, g.getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
            int inputNodes = net.channelsLast() ? 1 : 0;
            // Gemm + Softmax, Flatten for N × C × … features, a pooling node first for a pooled map
            int headNodes = net.featureShape().dimension() == 2 ? 2
                    : net.headPool() == io.edgeloop.trainer.onnx.HeadPool.FLATTEN ? 3 : 4;
            assertEquals(inputNodes + net.backbone().nodes().size() + headNodes, g.getNodeCount());
            for (String old : net.headCut().oldHeadNodes()) {
                assertTrue(g.getNodeList().stream().noneMatch(n -> n.getName().equals(old)), "old head " + old);
            }
            for (OnnxMl.TensorProto t : g.getInitializerList()) {
                if (t.getName().equals(LinearHead.WEIGHT)) {
                    try (NDManager m = manager.newSubManager()) {
                        assertArrayEquals(net.head().weight().getArray().toFloatArray(),
                                TensorProtos.toNDArray(t, m).toFloatArray());
                    }
                }
            }
            // the exported file is importable again (a second fine-tuning round)
            OnnxGraph.of(exported).requireImageInput();
        }
    }

    @Test
    void exportWithModelCardReadsBackAsModelPackage(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(ARCH.resolve("mobilenet_v2_op13_static_fold.onnx"),
                HeadSpec.auto(3, 1), manager)) {
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            io.edgeloop.protocol.model.ModelCard card = io.edgeloop.protocol.model.ModelCard.builder()
                    .setName("mnv2-test").setVersion("1").setCreated(java.time.Instant.parse("2026-11-28T00:00:00Z"))
                    .setLabels(java.util.List.of("a", "b", "c"))
                    .setInput(io.edgeloop.protocol.model.InputSpec.square("input", 64))
                    .setPreprocessing(io.edgeloop.protocol.preprocess.PreprocessSpec.imagenet(73, 64))
                    .setOutput(new io.edgeloop.protocol.model.OutputSpec(io.edgeloop.protocol.model.OutputKind.LOGITS,
                            OnnxExporter.LOGITS, OnnxExporter.PROBABILITIES))
                    .build();
            Path file = dir.resolve("model.onnx");
            io.edgeloop.protocol.model.ModelPackage.write(exported, card, file);
            io.edgeloop.protocol.model.ModelPackage read = io.edgeloop.protocol.model.ModelPackage.read(file);
            assertEquals(card, read.card());
        }
    }

    @Test
    void verifierNeedsAtLeast32ImagesAndCatchesAWrongExport() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(ARCH.resolve("mobilenet_v2_op11_dyn_fold.onnx"),
                HeadSpec.auto(5, 1), manager)) {
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ExportVerifier.verify(exported, net, 31, 3));
            assertEquals("images is 31, must be at least 32", e.getMessage());
            ExportVerifier.Result ok = ExportVerifier.verify(exported, net, 40, 3);
            assertTrue(ok.passed(), ok.toString());
            assertEquals(40, ok.images());
            // the network's head changes after the export: the verifier must see the difference
            net.head().reset(77);
            ExportVerifier.Result stale = ExportVerifier.verify(exported, net, 32, 3);
            assertFalse(stale.passed(), stale.toString());
        }
    }

    private static float[] firstParameter(OnnxClassifierNetwork net) {
        return net.backbone().parametersByInitializer().values().iterator().next().getArray().toFloatArray();
    }
}

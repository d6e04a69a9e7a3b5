package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.export.ExportVerifier;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TrainingSteps;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stand-ins for ONNX-model-zoo classifiers (opset 7–10: torchvision topologies converted down, Caffe2-style graphs
 * with Sum / LRN / channel shuffle / ceil-mode pooling) and tf2onnx Keras exports (NHWC): the head is detected where
 * it is ({@link HeadLocator} and {@code inspect}'s {@link GraphSummary} agree), two fine-tuning steps run, and the
 * exported model on ONNX Runtime agrees with DJL on 32 images. The same for torch exports whose initializers were
 * de-duplicated through Identity aliases (make_alias_fixtures.py; more in {@link InitializerUntierTest}). Forward
 * parity on random inputs is in {@link ArchitectureParityTest}, which runs every fixture in {@code arch/}.
 */
class ZooArchitectureTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Path arch(String name) {
        return OrtReference.FIXTURES.resolve("arch").resolve(name + ".onnx");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "zoo_resnet18_v1_op7_bn; FULL; /fc/Gemm; /Flatten_output_0; 32",
        "zoo_mobilenetv2_op8_static_fold; PARTIAL; /classifier/classifier.1/Gemm; /Flatten_output_0; 1280",
        "zoo_vgg_bn_op7; FULL; /classifier/classifier.4/Gemm; /classifier/classifier.3/Relu_output_0_dropout; 48",
        "zoo_densenet_op8_bn; FULL; /classifier/Gemm; /Flatten_output_0; 32",
        "caffe2_resnet_sum_op9; FULL; gpu_0/pred_1; gpu_0/OC2_DUMMY_0; 32",
        "caffe2_shufflenet_v1_op9; FULL; gpu_0/fc_1; gpu_0/flatten_0; 48",
        "caffe2_googlenet_lrn_op10; FULL; loss3/classifier_1; OC2_DUMMY_0; 32",
        "caffe2_caffenet_lrn_op8; FULL; fc8_1; drop7_1; 32",
        "tf2onnx_efficientnet_lite_op11; FULL; model/dense/MatMul+model/dense/BiasAdd;"
                + " model/avg_pool/Mean_Squeeze__48; 32",
        "tf2onnx_efficientnet_lite_op13; PARTIAL; model/dense/MatMul+model/dense/BiasAdd;"
                + " model/avg_pool/Mean_Squeeze__48; 32",
        "tf2onnx_efficientnet_lite4_static_op11; FULL; model/dense/MatMul+model/dense/BiasAdd;"
                + " model/avg_pool/Mean_Squeeze__48; 32",
        "alias_densenet_op11_dyn_bn; FULL; /classifier/Gemm; /Flatten_output_0; 32",
        "alias_mnasnet_op13_dyn_bn; PARTIAL; /classifier/classifier.1/Gemm; /ReduceMean_output_0; 64",
        "alias_twin_conv_op13_dyn_bn; FULL; /fc/Gemm; /Flatten_output_0; 8",
        "alias_identity_chain_op9_ir3; FULL; fc; flat; 8",
    })
    void headIsDetectedAndFineTunedModelExportsExactly(String file, FineTuneStrategy strategy, String headNodes,
            String features, long featureSize) throws Exception {
        OnnxMl.ModelProto model = OnnxGraph.read(arch(file));
        List<String> expectedHead = Arrays.asList(headNodes.split("\\+"));
        GraphSummary summary = GraphSummary.of(model);
        assertEquals(List.of(), summary.unsupportedOps(), file + ": unsupported ops");
        assertEquals(expectedHead, summary.head().oldHeadNodes(), file + ": inspect's head");
        assertEquals(featureSize, summary.featureSize(), file + ": inspect's feature size");
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch(file), HeadSpec.auto(3, 9), manager)) {
            assertEquals(expectedHead, net.headCut().oldHeadNodes());
            assertEquals(features, net.headCut().featureTensor());
            assertEquals(new Shape(1, featureSize), net.featureShape());
            assertEquals(file.startsWith("tf2onnx"), net.channelsLast());
            checkFineTuneAndExport(file, net, strategy);
        }
    }

    /**
     * squeezenet1.1-7 (torchvision, opset 9) and squeezenet1.0-7 (Caffe2: IR 3, unnamed nodes, a Softmax over the
     * [1, C, 1, 1] map) end in a 1×1 conv head: found automatically by the importer and by {@code inspect}; the new
     * head averages the map (C inputs, not C·H·W), trains, and the export with its GlobalAveragePool runs the same
     * on ONNX Runtime.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "zoo_squeezenet1_1_op9_static; /classifier/classifier.1/Conv; /classifier/classifier.2/Relu;"
                + " /classifier/classifier.3/GlobalAveragePool; /features/features.12/Concat_output_0; 128; 3",
        "caffe2_squeezenet1_0_op7; conv10_1; conv10_2; pool10_1; fire9/concat_2; 48; 7",
    })
    void convHeadIsDetectedPooledAndExportsExactly(String file, String conv, String relu, String pool,
            String features, long channels, long side) throws Exception {
        GraphSummary summary = GraphSummary.of(OnnxGraph.read(arch(file)));
        assertEquals(conv, summary.head().oldHeadNodes().get(0));
        assertEquals(channels, summary.featureSize(), "inspect's feature size: the map's channels");
        assertTrue(summary.toText().contains("new head   global average pool [N, " + channels + ", ?, ?] → "
                + channels + ", linear " + channels + " → k classes, attached at '" + features + "'"),
                summary.toText());
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch(file), HeadSpec.auto(3, 9), manager)) {
            assertEquals(HeadCut.Kind.CONV, net.headCut().kind());
            assertEquals(List.of(conv, relu, pool), net.headCut().oldHeadNodes());
            assertEquals(features, net.headCut().featureTensor());
            assertEquals(new Shape(1, channels, side, side), net.featureShape());
            assertEquals(HeadPool.AVG, net.headPool());
            assertEquals(channels, net.featureSize(), "pooled: C inputs, not C·H·W");
            assertEquals(new Shape(3, channels), net.head().weight().getArray().getShape());
            assertTrue(net.headCut().description().endsWith(", features '" + features + "' [N, " + channels
                    + ", " + side + ", " + side + "]"), net.headCut().description());
            assertEquals("global average pool [N, " + channels + ", " + side + ", " + side + "] → " + channels
                    + ", linear " + channels + " → 3 classes", net.headDescription());
            OnnxMl.ModelProto exported = checkFineTuneAndExport(file, net, FineTuneStrategy.FULL);
            List<String> tail = exported.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType)
                    .toList();
            assertEquals(List.of("GlobalAveragePool", "Flatten", "Gemm", "Softmax"),
                    tail.subList(tail.size() - 4, tail.size()));
        }
    }

    /** --head-pool max and flatten on the Caffe2 SqueezeNet: the sizes they say, and exports that run the same. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"MAX, 48, GlobalMaxPool", "FLATTEN, 2352, Flatten"})
    void otherPoolingsOfAConvHeadExportExactly(HeadPool pool, long inputs, String exportedOp) throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("caffe2_squeezenet1_0_op7"),
                HeadSpec.auto(3, 9).withPool(pool), manager)) {
            assertEquals(pool, net.headPool());
            assertEquals(inputs, net.featureSize());
            OnnxMl.ModelProto exported = checkFineTuneAndExport("caffe2_squeezenet1_0_op7 " + pool, net,
                    FineTuneStrategy.HEAD);
            assertTrue(exported.getGraph().getNodeList().stream()
                    .anyMatch(n -> n.getName().equals("edgeloop_head/" + exportedOp)), exportedOp);
        }
    }

    /** An explicit --cut-at on a spatial map (the last Fire module of squeezenet1.1-7) pools it too. */
    @Test
    void cutAtASpatialMapPoolsIt() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("zoo_squeezenet1_1_op9_static"),
                new HeadSpec(3, "/features/features.12/Concat", 9), manager)) {
            assertEquals(HeadCut.Kind.CUT, net.headCut().kind());
            assertEquals(new Shape(1, 128, 3, 3), net.featureShape());
            assertEquals(128, net.featureSize());
            checkFineTuneAndExport("zoo_squeezenet1_1_op9_static cut", net, FineTuneStrategy.FULL);
        }
    }

    private static OnnxMl.ModelProto checkFineTuneAndExport(String file, OnnxClassifierNetwork net,
            FineTuneStrategy strategy) throws Exception {
        float[] headBefore = net.head().weight().getArray().toFloatArray();
        float[] firstBefore = net.backbone().parametersByInitializer().values().iterator().next().getArray()
                .toFloatArray();
        TrainingSteps.sgd(net, strategy, 2);
        assertFalse(Arrays.equals(headBefore, net.head().weight().getArray().toFloatArray()), file + ": head");
        float[] firstAfter = net.backbone().parametersByInitializer().values().iterator().next().getArray()
                .toFloatArray();
        assertEquals(strategy == FineTuneStrategy.FULL, !Arrays.equals(firstBefore, firstAfter),
                file + ": first backbone parameter changed under " + strategy);
        OnnxMl.ModelProto exported = OnnxExporter.export(net);
        ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 11);
        System.out.printf("zoo export %-34s %s%n", file, r);
        assertTrue(r.passed(), file + ": " + r);
        assertEquals(net.graph().model().getOpsetImportList(), exported.getOpsetImportList());
        assertEquals(net.graph().model().getIrVersion(), exported.getIrVersion());
        if (exported.getIrVersion() < 4) {
            // IR 3 requires every initializer to be a graph input (onnx.checker: "in initializer but not in graph
            // input"); ORT does not check it, so the export verification above would not notice
            java.util.Set<String> inputs = new java.util.HashSet<>();
            exported.getGraph().getInputList().forEach(v -> inputs.add(v.getName()));
            for (OnnxMl.TensorProto t : exported.getGraph().getInitializerList()) {
                assertTrue(inputs.contains(t.getName()), file + ": initializer '" + t.getName()
                        + "' is not a graph input (IR 3)");
            }
            assertTrue(inputs.contains(LinearHead.WEIGHT) && inputs.contains(LinearHead.BIAS), file);
        }
        return exported;
    }
}

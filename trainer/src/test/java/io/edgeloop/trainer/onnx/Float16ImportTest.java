package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import io.edgeloop.trainer.export.ExportVerifier;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TrainingSteps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Float16 models (the zoo's {@code *-fp16} files, Caffe2-era exports): they import as their float32 twin, match ONNX
 * Runtime running the original float16 file within what half precision allows, train exactly like the float32 twin
 * and export float32 files that match DJL to the usual 1e-4. Fixtures: {@code make_legacy_fixtures.py}.
 */
class Float16ImportTest {

    /**
     * DJL in float32 against ONNX Runtime running the float16 file, relative to max(1, max |ORT output|): ORT rounds
     * to half precision (2^-11 relative) wherever it computes in float16, so a few 1e-4 are expected (measured: 2.9e-4
     * on the single-op graphs, 1.3e-4 on the classifier's probabilities); 2e-3 leaves room for that and still fails on
     * any real mistake (a wrong weight, a lost Constant, misread int32_data halves are off by O(1)).
     */
    static final double FLOAT16_TOLERANCE = 2e-3;
    /** DJL against ORT running the float32 twin the importer made: the usual single-op parity. */
    static final double FLOAT32_TOLERANCE = 1e-5;

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Path legacy(String name) {
        return OrtReference.FIXTURES.resolve("legacy").resolve(name + ".onnx");
    }

    /** What the importer runs: the cleaned, widened model. */
    static OnnxMl.ModelProto twin(OnnxMl.ModelProto model) {
        return Float16Widener.widen(cleaned(model));
    }

    /** The model without leftover attributes, still float16: ONNX Runtime refuses the leftovers (tested). */
    static OnnxMl.ModelProto cleaned(OnnxMl.ModelProto model) {
        return LegacyAttributes.clean(model, OnnxGraph.of(model).opset());
    }

    /** Random inputs rounded to half precision, so the float16 and the float32 side see the same numbers. */
    static List<OrtReference.Tensor> halfRoundedInputs(OnnxMl.ModelProto model, long seed) {
        List<OrtReference.Tensor> list = new ArrayList<>();
        for (OrtReference.Tensor t : OrtReference.randomInputs(model, seed, 2, false)) {
            float[] v = t.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = Float16.toFloat(Fp16Conversions.floatToFp16(v[i]));
            }
            list.add(new OrtReference.Tensor(v, t.shape()));
        }
        return list;
    }

    @Test
    void everyHalfWidensToTheFloatOnnxRuntimeReads() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float ours = Float16.toFloat(bits);
            float ort = Fp16Conversions.fp16ToFloat((short) bits);
            if (Float.isNaN(ort)) {
                assertTrue(Float.isNaN(ours), "bits " + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToIntBits(ort), Float.floatToIntBits(ours),
                        "bits " + Integer.toHexString(bits));
            }
        }
        assertEquals(1f, Float16.toFloat(0x3c00));
        assertEquals(-2f, Float16.toFloat(0xc000));
        assertEquals(65504f, Float16.toFloat(0x7bff));
        assertEquals(0x1p-24f, Float16.toFloat(0x0001));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Float16.toFloat(0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(0xfc00));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"conv_fp16", "batchnorm_fp16", "gemm_fp16_int32data", "constant_fp16", "cast_to_fp16",
        "cast_from_fp16"})
    void singleOpFloat16GraphMatchesOnnxRuntimeOnTheOriginal(String name) throws Exception {
        OnnxMl.ModelProto model = OnnxGraph.read(legacy(name));
        OnnxMl.ModelProto widened = twin(model);
        assertFalse(BasePrecision.of(widened).hasFloat16(), name + ": float16 left after widening");
        List<OrtReference.Tensor> inputs = halfRoundedInputs(model, 5);
        OrtReference.Tensor djl = OrtReference.runDjl(widened, inputs, manager).get(0);
        OrtReference.Tensor original = OrtReference.run(model, inputs).get(0);
        OrtReference.Tensor sameTwin = OrtReference.run(widened, inputs).get(0);
        double vsOriginal = OrtReference.maxAbsDiff(original, djl);
        double vsTwin = OrtReference.maxAbsDiff(sameTwin, djl);
        double scale = Math.max(1, maxAbs(original.values()));
        System.out.printf("fp16 parity %-24s vs ORT fp16 %.3g (scale %.3g), vs ORT on the fp32 twin %.3g%n", name,
                vsOriginal, scale, vsTwin);
        assertTrue(vsOriginal <= FLOAT16_TOLERANCE * scale, name + ": " + vsOriginal);
        assertTrue(vsTwin <= FLOAT32_TOLERANCE, name + ": " + vsTwin);
    }

    @Test
    void caffe2Float16ClassifierMatchesOnnxRuntimeOnTheOriginal() throws Exception {
        OnnxMl.ModelProto file = OnnxGraph.read(legacy("caffe2_fp16_op8"));
        OrtException refused = assertThrows(OrtException.class, () -> OrtReference.run(file,
                OrtReference.randomInputs(file, 1, 1, false)));
        assertTrue(refused.getMessage().contains("Unrecognized attribute: is_test for operator BatchNormalization"),
                refused.getMessage());
        // the reference: ONNX Runtime on the float16 file without the leftovers it refuses
        OnnxMl.ModelProto model = cleaned(file);
        assertEquals(BasePrecision.of(file), BasePrecision.of(model));
        OnnxMl.ModelProto widened = Float16Widener.widen(model);
        double worst = 0;
        double worstTwin = 0;
        for (long seed = 1; seed <= 3; seed++) {
            List<OrtReference.Tensor> one = halfRoundedInputs(model, seed);
            // the graph's batch is 1 (static): one image at a time, like the zoo file
            List<OrtReference.Tensor> inputs = List.of(new OrtReference.Tensor(
                    Arrays.copyOf(one.get(0).values(), 3 * 32 * 32), new long[] {1, 3, 32, 32}));
            OrtReference.Tensor djl = OrtReference.runDjl(widened, inputs, manager).get(0);
            OrtReference.Tensor original = OrtReference.run(model, inputs).get(0);
            assertEquals(List.of(1L, 10L, 1L, 1L), Arrays.stream(djl.shape()).boxed().toList(),
                    "Softmax over axis 1 of [N, 10, 1, 1]");
            worst = Math.max(worst, OrtReference.maxAbsDiff(original, djl));
            worstTwin = Math.max(worstTwin, OrtReference.maxAbsDiff(OrtReference.run(widened, inputs).get(0), djl));
            float sum = 0;
            for (float p : djl.values()) {
                sum += p;
            }
            assertEquals(1f, sum, 1e-5, "probabilities over the 10 channels");
        }
        System.out.printf("fp16 parity caffe2_fp16_op8 probabilities: vs ORT fp16 %.3g, vs ORT fp32 twin %.3g%n",
                worst, worstTwin);
        assertTrue(worst <= FLOAT16_TOLERANCE, "vs ORT on the float16 file: " + worst);
        assertTrue(worstTwin <= FLOAT32_TOLERANCE, "vs ORT on the float32 twin: " + worstTwin);
    }

    @Test
    void caffe2Float16ClassifierImportsWithReadableNamesAndAFloat32Network() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(legacy("caffe2_fp16_op8"), HeadSpec.auto(3, 4), manager)) {
            assertEquals(List.of("fc_1"), net.headCut().oldHeadNodes(), "Gemm head seen through Reshape + Softmax");
            assertEquals("pool5_drop_1", net.headCut().featureTensor());
            assertEquals(new Shape(1, 16), net.featureShape());
            assertEquals(List.of("Conv node 'conv1_1'", "Conv node 'conv2_1'"),
                    net.weightLayers().stream().map(OnnxNode::describe).toList());
            assertEquals(new BasePrecision(14, 1658, 2, 1, 2), net.basePrecision());
            for (Map.Entry<String, Parameter> e : net.backbone().parametersByInitializer().entrySet()) {
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, e.getValue().getArray().getDataType(), e.getKey());
            }
            assertEquals(13, net.backbone().parametersByInitializer().size(),
                    "every float16 weight (and the float32 Max floor) is a parameter: 2 Conv × 2, 2 BN × 4, floor: "
                    + net.backbone().parametersByInitializer().keySet());
            net.applyStrategy(FineTuneStrategy.PARTIAL, 0.5);
            assertFalse(net.backbone().parametersByInitializer().get("conv1_w_0").requiresGradient());
            assertTrue(net.backbone().parametersByInitializer().get("conv2_w_0").requiresGradient());
        }
        // --cut-at takes the names inspect lists
        try (OnnxClassifierNetwork net = OnnxImporter.load(legacy("caffe2_fp16_op8"), new HeadSpec(3, "pool5_1", 4),
                manager)) {
            assertEquals(new Shape(1, 16, 1, 1), net.featureShape());
            net.applyPartial("conv2_1");
            assertFalse(net.backbone().parametersByInitializer().get("conv1_w_0").requiresGradient());
        }
    }

    /**
     * One SGD step on the float16 file changes every weight exactly as on its float32 twin (same values stored as
     * float32, no Casts): the widened weights are parameters with gradients, the Cast island keeps the gradient.
     */
    @Test
    void trainingTheFloat16FileEqualsTrainingItsFloat32Twin() {
        Map<String, float[]> half = trainOneStep("caffe2_fp16_op8");
        Map<String, float[]> twin = trainOneStep("caffe2_fp32_twin_op8");
        assertEquals(twin.keySet(), half.keySet());
        OnnxMl.ModelProto before = OnnxGraph.read(legacy("caffe2_fp32_twin_op8"));
        for (OnnxMl.TensorProto t : before.getGraph().getInitializerList()) {
            if (!twin.containsKey(t.getName())) {
                continue;
            }
            float[] initial;
            try (ai.djl.ndarray.NDArray a = TensorProtos.toNDArray(t, manager)) {
                initial = a.toFloatArray();
            }
            float[] a = half.get(t.getName());
            float[] b = twin.get(t.getName());
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff <= 1e-6, t.getName() + ": float16 and float32 twin differ by " + diff + " after a step");
            if (!t.getName().matches("conv\\d_b_0")) {
                // a bias right before a BatchNormalization in training mode has no gradient: the batch mean takes it
                assertFalse(Arrays.equals(initial, b), t.getName() + " did not change in the step");
            }
        }
    }

    private static Map<String, float[]> trainOneStep(String file) {
        Engine.getInstance().setRandomSeed(17); // the same Dropout masks in both runs
        try (OnnxClassifierNetwork net = OnnxImporter.load(legacy(file), HeadSpec.auto(3, 4), manager)) {
            TrainingSteps.sgd(net, FineTuneStrategy.FULL, 1);
            Map<String, float[]> values = new java.util.TreeMap<>();
            net.backbone().parametersByInitializer().forEach((k, p) -> values.put(k, p.getArray().toFloatArray()));
            values.put("head", net.head().weight().getArray().toFloatArray());
            return values;
        }
    }

    @Test
    void trainedFloat16ModelExportsFloat32MatchingOnnxRuntime() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(legacy("caffe2_fp16_op8"), HeadSpec.auto(3, 4), manager)) {
            TrainingSteps.sgd(net, FineTuneStrategy.FULL, 2);
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 3);
            System.out.println("fp16 export caffe2_fp16_op8 " + r);
            assertTrue(r.passed(), r.toString());
            assertEquals(BasePrecision.FLOAT32, BasePrecision.of(exported), "no float16 left in the export");
            OnnxMl.GraphProto g = exported.getGraph();
            assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, g.getInput(0).getType().getTensorType()
                    .getElemType());
            for (OnnxMl.NodeProto n : g.getNodeList()) {
                for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                    assertFalse(List.of("is_test", "consumed_inputs").contains(a.getName()),
                            n.getOpType() + " keeps leftover '" + a.getName() + "'");
                }
                assertTrue(n.getName().isEmpty() || n.getName().startsWith("edgeloop_head/"),
                        "unnamed nodes stay unnamed: " + n.getName());
            }
            assertEquals(3, exported.getIrVersion());
            assertEquals(8, exported.getOpsetImport(0).getVersion());
            String note = OnnxExporter.precisionNote(net, exported).orElseThrow();
            assertEquals("base weights were float16; exported float32, " + Math.round(exported.getSerializedSize()
                    / 1e3) + " KB (trained in float32; the edge agent takes float32 inputs and outputs)", note);
            // importing the export again gives the kept nodes the same names
            OnnxGraph again = OnnxGraph.of(exported);
            for (OnnxNode n : net.backbone().nodes()) {
                assertNotEquals(-1, again.nodes().stream().map(OnnxNode::name).toList().indexOf(n.name()), n.name());
            }
        }
    }

    @Test
    void float32BaseHasNoPrecisionNote() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(legacy("caffe2_fp32_twin_op8"), HeadSpec.auto(3, 4),
                manager)) {
            assertEquals(BasePrecision.FLOAT32, net.basePrecision());
            assertTrue(OnnxExporter.precisionNote(net, OnnxExporter.export(net)).isEmpty());
        }
    }

    @Test
    void inspectSaysFloat16WeightsTrainedInFloat32() {
        GraphSummary summary = GraphSummary.of(OnnxGraph.read(legacy("caffe2_fp16_op8")));
        assertTrue(summary.toText().contains("precision  float16 weights (trained in float32): 14 initializers,"
                + " 1,658 values; 2 Constant nodes; float16 graph input/output (fed and read as float32); 1 Cast node"
                + " to FLOAT16 runs as a float32 no-op\n"), summary.toText());
        assertEquals("fc_1", summary.head().oldHeadNodes().get(0));
        assertEquals(16, summary.featureSize());
        assertFalse(GraphSummary.of(OnnxGraph.read(legacy("caffe2_fp32_twin_op8"))).toText().contains("precision"));
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}

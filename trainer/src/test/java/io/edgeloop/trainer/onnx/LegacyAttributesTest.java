package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attributes of older operator versions in files stamped opset 7–9 ({@link LegacyAttributes}): the neutral ones are
 * removed and the graph matches ONNX Runtime; the ones that change the meaning are refused with the node, the
 * attribute, its value and what is allowed.
 */
class LegacyAttributesTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /**
     * ONNX Runtime refuses the files as they are ("Unrecognized attribute"): it checks nodes against the operator
     * schema of the declared opset. So does {@code onnx.checker}. Without the leftovers both run them, and DJL agrees.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"dropout_leftover_is_test, is_test, Dropout",
        "batchnorm_leftover_is_test_consumed, is_test, BatchNormalization",
        "batchnorm_leftover_op9_spatial1, spatial, BatchNormalization"})
    void neutralLeftoversAreRemovedAndTheGraphMatchesOnnxRuntime(String name, String refusedAttribute, String op)
            throws Exception {
        OnnxMl.ModelProto model = OnnxGraph.read(Float16ImportTest.legacy(name));
        List<OrtReference.Tensor> inputs = OrtReference.randomInputs(model, 3, 2, false);
        OrtException refused = assertThrows(OrtException.class, () -> OrtReference.run(model, inputs));
        assertTrue(refused.getMessage().contains("Unrecognized attribute: " + refusedAttribute + " for operator " + op),
                refused.getMessage());
        OnnxMl.ModelProto cleaned = LegacyAttributes.clean(model, OnnxGraph.of(model).opset());
        List<String> left = cleaned.getGraph().getNode(0).getAttributeList().stream()
                .map(OnnxMl.AttributeProto::getName).filter(a -> List.of("is_test", "consumed_inputs").contains(a)
                        || a.equals("spatial") && OnnxGraph.of(model).opset() >= 9).toList();
        assertEquals(List.of(), left, name);
        OrtReference.Tensor djl = OrtReference.runDjl(cleaned, inputs, manager).get(0);
        double diff = OrtReference.maxAbsDiff(OrtReference.run(cleaned, inputs).get(0), djl);
        System.out.printf("leftover %-38s max|DJL − ORT| %.3g (ORT refuses the file with it)%n", name, diff);
        assertTrue(diff <= 1e-5, name + ": " + diff);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "refused_batchnorm_op9_spatial0| BatchNormalization node 'refused_batchnorm_op9_spatial0_node':"
                + " attribute 'spatial' (a leftover of opset < 9,"
                + " the model declares opset 9) is 0; allowed: 1 (per-channel statistics, the only form from opset 9"
                + " on); per-activation statistics (spatial=0) exist at opset 7-8 only",
        "refused_batchnorm_is_test0| BatchNormalization node 'refused_batchnorm_is_test0_node':"
                + " attribute 'is_test' (a leftover of opset < 7, the"
                + " model declares opset 7) is 0, which means the graph was exported in training mode; allowed: 1"
                + " (inference, what BatchNormalization does from opset 7 on); export the model in inference mode",
        "refused_dropout_is_test0| Dropout node 'refused_dropout_is_test0_node': attribute"
                + " 'is_test' (a leftover of opset < 7, the model declares"
                + " opset 7) is 0, which means the graph was exported in training mode; allowed: 1 (inference, what"
                + " Dropout does from opset 7 on); export the model in inference mode",
    })
    void meaningChangingLeftoversAreRefused(String name, String message) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(
                Float16ImportTest.legacy(name), HeadSpec.auto(2, 1), manager));
        assertEquals(Float16ImportTest.legacy(name) + ": " + message, e.getMessage());
    }

    @Test
    void legacyBroadcastIsRemovedWhenOffAndRefusedWhenOn() {
        OnnxMl.ModelProto off = addModel(0);
        OnnxMl.NodeProto cleaned = LegacyAttributes.clean(off, 7).getGraph().getNode(0);
        assertEquals(0, cleaned.getAttributeCount(), "broadcast=0 and its axis removed");
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> LegacyAttributes.clean(addModel(1), 7));
        assertEquals("Add node 'sum': attribute 'broadcast' (a leftover of opset < 7, the model declares opset 7) is 1:"
                + " the second input is aligned at 'axis', which opset 7's numpy broadcasting does not do; allowed: 0"
                + " (equal shapes); convert the model from the opset it was written for with onnx.version_converter",
                e.getMessage());
    }

    @Test
    void modelWithoutLeftoversIsReturnedAsItIs() {
        OnnxMl.ModelProto model = OnnxGraph.read(OrtReference.FIXTURES.resolve("arch")
                .resolve("caffe2_caffenet_lrn_op8.onnx"));
        assertTrue(model == LegacyAttributes.clean(model, 8));
    }

    private static OnnxMl.ModelProto addModel(long broadcast) {
        OnnxMl.NodeProto add = OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("b")
                .addOutput("sum").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("broadcast").setI(broadcast)
                        .setType(OnnxMl.AttributeProto.AttributeType.INT))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)).build();
        return OnnxMl.ModelProto.newBuilder().setGraph(OnnxMl.GraphProto.newBuilder().addNode(add)).build();
    }
}

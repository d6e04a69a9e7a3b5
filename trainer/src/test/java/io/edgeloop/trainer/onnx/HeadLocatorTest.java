package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Head detection on the graph alone (no engine): linear heads as before, 1×1-conv heads (SqueezeNet from torchvision
 * and the model zoo's Caffe2 file) with their pooling variants, and the errors when the tail is not a head.
 */
class HeadLocatorTest {

    private static final String SQUEEZENET_TAIL = "/classifier/classifier.1/Conv+/classifier/classifier.2/Relu"
            + "+/classifier/classifier.3/GlobalAveragePool";
    private static final String LOOKING_THROUGH = ", not from a Gemm or MatMul(+Add) with initializer weights nor"
            + " from a Conv → [Relu →] global pooling head (looking through"
            + " Dropout/Flatten/Identity/LogSoftmax/Reshape/Softmax/Squeeze); name the node whose output is the"
            + " feature tensor with --cut-at NODE ('trainer inspect' lists the nodes)";

    private static OnnxMl.ModelProto read(String name) {
        return OnnxGraph.read(OrtReference.FIXTURES.resolve("arch").resolve(name + ".onnx"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "squeezenet1_1_op11_dyn_fold; " + SQUEEZENET_TAIL + "; /features/features.12/Concat_output_0;"
                + " 1×1 conv head Conv node '/classifier/classifier.1/Conv' + Relu + GlobalAveragePool",
        "squeezenet1_1_op17_static_fold; " + SQUEEZENET_TAIL + "; /features/features.12/Concat_output_0;"
                + " 1×1 conv head Conv node '/classifier/classifier.1/Conv' + Relu + GlobalAveragePool",
        "zoo_squeezenet1_1_op9_static; " + SQUEEZENET_TAIL + "; /features/features.12/Concat_output_0;"
                + " 1×1 conv head Conv node '/classifier/classifier.1/Conv' + Relu + GlobalAveragePool",
        "caffe2_squeezenet1_0_op7; conv10_1+conv10_2+pool10_1; fire9/concat_2;"
                + " 1×1 conv head Conv node 'conv10_1' + Relu + GlobalAveragePool",
    })
    void findsTheConvHeadOfEverySqueezeNet(String file, String nodes, String features, String found) {
        HeadCut cut = HeadLocator.locate(OnnxGraph.of(read(file)), null);
        assertEquals(HeadCut.Kind.CONV, cut.kind());
        assertEquals(Arrays.asList(nodes.split("\\+")), cut.oldHeadNodes());
        assertEquals(features, cut.featureTensor());
        assertEquals(found, cut.found());
        // no value_info in these files: the channels come from the Conv's weight, H × W only from a dry run
        String channels = file.startsWith("caffe2") ? "48" : "128";
        assertEquals(found + ", features '" + features + "' [N, " + channels + ", ?, ?]", cut.description());
    }

    @Test
    void linearHeadsAreFoundAsBefore() {
        HeadCut gemm = HeadLocator.locate(OnnxGraph.of(read("resnet18_op13_dyn_bn")), null);
        assertEquals(HeadCut.Kind.LINEAR, gemm.kind());
        assertEquals("head Gemm node '/fc/Gemm', features '/Flatten_output_0'", gemm.description());
        HeadCut matMul = HeadLocator.locate(OnnxGraph.of(read("keras_nhwc_op13")), null);
        assertEquals(List.of("model/dense/MatMul", "model/dense/BiasAdd"), matMul.oldHeadNodes());
    }

    @Test
    void cutAtNamesTheNode() {
        HeadCut cut = HeadLocator.locate(OnnxGraph.of(read("squeezenet1_1_op11_dyn_fold")),
                "/features/features.12/Concat");
        assertEquals(HeadCut.Kind.CUT, cut.kind());
        assertEquals(List.of(), cut.oldHeadNodes());
        assertEquals("cut at Concat node '/features/features.12/Concat', features"
                + " '/features/features.12/Concat_output_0'", cut.description());
    }

    /** A Conv whose channels are not the output's classes is not the classifier: today's clear error, with why. */
    @Test
    void convWhoseChannelsDoNotMatchTheClassesIsNoHead() {
        OnnxMl.ModelProto m = read("caffe2_squeezenet1_0_op7");
        OnnxMl.ModelProto.Builder b = m.toBuilder();
        b.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).setDimValue(7);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> HeadLocator.locate(OnnxGraph.of(b.build()), null));
        assertEquals("no classifier head found: graph output 'softmaxout_1' comes from GlobalAveragePool node"
                + " 'pool10_1' over Conv node 'conv10_1' with 10 output channels, but the output has 7"
                + " classes" + LOOKING_THROUGH, e.getMessage());
    }

    /** A Conv whose output is used elsewhere too (here: a second graph output) is not cut off. */
    @Test
    void convWhoseOutputIsUsedOutsideTheHeadIsNoHead() {
        OnnxMl.ModelProto.Builder b = read("caffe2_squeezenet1_0_op7").toBuilder();
        b.getGraphBuilder().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("conv10_1"));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> HeadLocator.locate(OnnxGraph.of(b.build()), null));
        assertEquals("no classifier head found: graph output 'softmaxout_1' comes from GlobalAveragePool node"
                + " 'pool10_1' over Conv node 'conv10_1', whose output is also used outside the head"
                + LOOKING_THROUGH, e.getMessage());
    }

    @Test
    void graphEndingInFeaturesHasNoHead() {
        OnnxMl.ModelProto m = read("squeezenet1_1_op11_dyn_fold");
        OnnxMl.ModelProto.Builder b = m.toBuilder();
        b.getGraphBuilder().clearOutput().addOutput(OnnxMl.ValueInfoProto.newBuilder()
                .setName("/features/features.12/Concat_output_0"));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> HeadLocator.locate(OnnxGraph.of(b.build()), null));
        assertEquals("no classifier head found: graph output '/features/features.12/Concat_output_0' comes from"
                + " Concat node '/features/features.12/Concat'" + LOOKING_THROUGH, e.getMessage());
    }

    /** AveragePool is a global pool when the graph output shows a 1 × 1 map of the Conv's channels. */
    @Test
    void averagePoolCoveringTheMapIsAHeadOnlyWhenTheOutputShowsIt() {
        OnnxMl.ModelProto pooled = replacePool(read("caffe2_squeezenet1_0_op7"), OnnxMl.NodeProto.newBuilder()
                .setOpType("AveragePool").addAttribute(ints("kernel_shape", 7, 7)));
        HeadCut cut = HeadLocator.locate(OnnxGraph.of(pooled), null);
        assertEquals(List.of("conv10_1", "conv10_2", "pool10_1"), cut.oldHeadNodes());
        assertEquals("1×1 conv head Conv node 'conv10_1' + Relu + AveragePool", cut.found());

        OnnxMl.ModelProto.Builder unknown = pooled.toBuilder();
        unknown.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().clearShape();
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> HeadLocator.locate(OnnxGraph.of(unknown.build()), null));
        assertEquals("no classifier head found: graph output 'softmaxout_1' comes from AveragePool node"
                + " 'pool10_1' whose kernel cannot be checked to cover the whole map (graph output"
                + " 'softmaxout_1' declares no fixed shape)" + LOOKING_THROUGH, e.getMessage());
    }

    @Test
    void reduceMeanOverHeightAndWidthIsAGlobalPool() {
        OnnxMl.ModelProto spatial = replacePool(read("caffe2_squeezenet1_0_op7"), OnnxMl.NodeProto.newBuilder()
                .setOpType("ReduceMean").addAttribute(ints("axes", -2, -1)));
        assertEquals(HeadCut.Kind.CONV, HeadLocator.locate(OnnxGraph.of(spatial), null).kind());

        OnnxMl.ModelProto channels = replacePool(read("caffe2_squeezenet1_0_op7"), OnnxMl.NodeProto.newBuilder()
                .setOpType("ReduceMean").addAttribute(ints("axes", 1)));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> HeadLocator.locate(OnnxGraph.of(channels), null));
        assertEquals("no classifier head found: graph output 'softmaxout_1' comes from ReduceMean node"
                + " 'pool10_1', which does not reduce exactly axes 2 and 3 (H and W)" + LOOKING_THROUGH,
                e.getMessage());
    }

    /** The Caffe2 fixture with its GlobalAveragePool (node 42) replaced by {@code pool} on the same tensors. */
    private static OnnxMl.ModelProto replacePool(OnnxMl.ModelProto m, OnnxMl.NodeProto.Builder pool) {
        OnnxMl.ModelProto.Builder b = m.toBuilder();
        OnnxMl.NodeProto old = b.getGraph().getNode(42);
        assertEquals("GlobalAveragePool", old.getOpType());
        b.getGraphBuilder().setNode(42, pool.addAllInput(old.getInputList()).addAllOutput(old.getOutputList()));
        return b.build();
    }

    private static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}

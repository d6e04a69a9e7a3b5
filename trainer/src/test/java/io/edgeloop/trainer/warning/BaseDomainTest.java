package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaseDomainTest {

    @Test
    void theCommittedBaseIsGreyByTheDatasetItsCardNames() throws Exception {
        ModelProto model = BaseWeightsTest.read(BaseWeightsTest.BASE);
        BaseDomain domain = BaseDomain.of(model, BaseWeightsTest.card(model));
        assertEquals(3, domain.inputChannels(), "grey replicated to RGB");
        assertTrue(domain.grey());
        assertEquals(Optional.of("Fashion-MNIST"), domain.trainingData());
        assertEquals("its card names Fashion-MNIST, a greyscale dataset, as its training data",
                domain.greyEvidence().get());
    }

    @Test
    void aCardNoteSaysGreyWhenNoDatasetIsNamed() throws Exception {
        ModelProto model = BaseWeightsTest.read(BaseWeightsTest.BASE);
        ModelCard card = BaseWeightsTest.card(model).get().toBuilder().setName("shelf")
                .optNotes(Map.of(BaseDomain.COLOUR_NOTE, "grayscale")).build();
        BaseDomain domain = BaseDomain.of(model, Optional.of(card));
        assertEquals(Optional.empty(), domain.trainingData());
        assertEquals("its card says notes.input_colour = grayscale", domain.greyEvidence().get());
        ModelCard colour = card.toBuilder().optNotes(Map.of(BaseDomain.COLOUR_NOTE, "colour")).build();
        assertFalse(BaseDomain.of(model, Optional.of(colour)).grey());
    }

    @Test
    void aOneChannelInputIsGreyAndAPlainRgbBaseIsNot() {
        ModelProto rgb = ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.25, 32, 2, 1));
        BaseDomain plain = BaseDomain.of(rgb, Optional.empty());
        assertEquals(3, plain.inputChannels());
        assertFalse(plain.grey());
        ModelProto grey = input(List.of(-1L, 1L, 28L, 28L));
        assertEquals("its input has 1 channel", BaseDomain.of(grey, Optional.empty()).greyEvidence().get());
        assertEquals(3, BaseDomain.inputChannels(input(List.of(-1L, 224L, 224L, 3L))), "NHWC");
        assertEquals(0, BaseDomain.inputChannels(input(List.of(-1L, 10L))));
    }

    @Test
    void mnistIsNotFoundInsideOtherWords() throws Exception {
        ModelProto model = BaseWeightsTest.read(BaseWeightsTest.BASE);
        ModelCard card = BaseWeightsTest.card(model).get().toBuilder().setName("fmnistlike")
                .optNotes(Map.of("task", "trained on mnist_digits")).build();
        assertEquals(Optional.of("MNIST"), BaseDomain.of(model, Optional.of(card)).trainingData());
        ModelCard other = card.toBuilder().optNotes(Map.of("task", "shelf items")).build();
        assertEquals(Optional.empty(), BaseDomain.of(model, Optional.of(other)).trainingData());
    }

    private static ModelProto input(List<Long> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        ValueInfoProto in = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
        return ModelProto.newBuilder().setGraph(GraphProto.newBuilder().addInput(in)).build();
    }
}

package io.edgeloop.trainer.warning;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.edgeloop.protocol.model.ModelCard;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What images a base model was trained on, as far as the file tells: whether they were grey (a 1-channel input, a
 * card note {@code input_colour = grayscale}, or a card naming a greyscale dataset such as Fashion-MNIST) and the
 * name of its training data when the card gives one.
 *
 * @param inputChannels the image input's channels (1 or 3), 0 when the graph does not say
 * @param greyEvidence  why the base is taken to be grey-trained; empty when nothing says so
 * @param trainingData  the dataset its card names (e.g. {@code Fashion-MNIST}); empty when unknown
 */
public record BaseDomain(int inputChannels, Optional<String> greyEvidence, Optional<String> trainingData) {

    /** The card note (in {@code notes}) that states the training images' colour: grayscale or colour. */
    public static final String COLOUR_NOTE = "input_colour";

    /** Greyscale datasets a card may name, longest first so that Fashion-MNIST is not read as MNIST. */
    static final List<String> GREY_DATASETS = List.of("Fashion-MNIST", "KMNIST", "EMNIST", "QMNIST", "MNIST");

    /** Reads the model's graph input and card. */
    public static BaseDomain of(ModelProto model, Optional<ModelCard> card) {
        int channels = inputChannels(model);
        Optional<String> dataset = card.flatMap(BaseDomain::greyDataset);
        Optional<String> evidence;
        Optional<String> note = card.map(c -> c.notes().get(COLOUR_NOTE));
        if (channels == 1) {
            evidence = Optional.of("its input has 1 channel");
        } else if (note.isPresent() && note.get().toLowerCase(Locale.ROOT).matches("gr[ae]y(scale)?.*")) {
            evidence = Optional.of("its card says notes." + COLOUR_NOTE + " = " + note.get());
        } else {
            evidence = dataset.map(d -> "its card names " + d + ", a greyscale dataset, as its training data");
        }
        return new BaseDomain(channels, evidence, dataset);
    }

    /** Whether the base was trained on grey images. */
    public boolean grey() {
        return greyEvidence.isPresent();
    }

    /** Channels of the first graph input that is not an initializer: NCHW's dim 1 or NHWC's dim 3, else 0. */
    static int inputChannels(ModelProto model) {
        Set<String> initializers = model.getGraph().getInitializerList().stream().map(t -> t.getName())
                .collect(Collectors.toSet());
        for (ValueInfoProto input : model.getGraph().getInputList()) {
            if (initializers.contains(input.getName()) || !input.getType().hasTensorType()) {
                continue;
            }
            List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
            if (dims.size() != 4) {
                return 0;
            }
            long nchw = dims.get(1).hasDimValue() ? dims.get(1).getDimValue() : 0;
            long nhwc = dims.get(3).hasDimValue() ? dims.get(3).getDimValue() : 0;
            return nchw == 1 || nchw == 3 ? (int) nchw : nhwc == 1 || nhwc == 3 ? (int) nhwc : 0;
        }
        return 0;
    }

    /** A greyscale dataset named anywhere in the card's name, notes or training-data field. */
    private static Optional<String> greyDataset(ModelCard card) {
        String text = (card.name() + " " + String.join(" ", card.notes().values()) + " "
                + (card.trainingData() == null ? "" : card.trainingData())).toLowerCase(Locale.ROOT)
                .replaceAll("[ _]", "-");
        for (String dataset : GREY_DATASETS) {
            if (text.matches("(?s).*(^|[^a-z])" + dataset.toLowerCase(Locale.ROOT) + "([^a-z]|$).*")) {
                return Optional.of(dataset);
            }
        }
        return Optional.empty();
    }
}

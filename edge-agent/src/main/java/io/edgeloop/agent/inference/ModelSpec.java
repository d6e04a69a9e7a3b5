package io.edgeloop.agent.inference;

import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to run a model correctly: the ONNX file and the facts its model card states.
 *
 * @param onnx        the ONNX file
 * @param name        model name (from the card)
 * @param version     model version (from the card)
 * @param sha256      SHA-256 of the ONNX file, or null when not computed
 * @param labels      class labels in output order
 * @param preprocess  input preprocessing (its crop size is the model's input height and width)
 * @param inputName   the input to feed, or null for the only input
 * @param outputName  the output to read, or null for the first output
 * @param outputKind  logits or probabilities
 * @param temperature calibration temperature for the softmax over logits
 * @param thresholds  per-class score thresholds from the model card (label → 0..1); empty when it has none
 */
public record ModelSpec(Path onnx, String name, String version, String sha256, List<String> labels,
        PreprocessSpec preprocess, String inputName, String outputName, OutputKind outputKind, double temperature,
        Map<String, Double> thresholds) {

    public ModelSpec {
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("model labels are " + labels + ", allowed at least 2 labels");
        }
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(outputKind, "outputKind");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature is " + temperature + ", allowed a finite number > 0");
        }
        thresholds = Map.copyOf(thresholds);
    }

    /** A spec without per-class thresholds. */
    public ModelSpec(Path onnx, String name, String version, String sha256, List<String> labels,
            PreprocessSpec preprocess, String inputName, String outputName, OutputKind outputKind,
            double temperature) {
        this(onnx, name, version, sha256, labels, preprocess, inputName, outputName, outputKind, temperature,
                Map.of());
    }

    /** The same model at another path (where the deploy store keeps it). */
    public ModelSpec withOnnx(Path file) {
        return new ModelSpec(file, name, version, sha256, labels, preprocess, inputName, outputName, outputKind,
                temperature, thresholds);
    }
}

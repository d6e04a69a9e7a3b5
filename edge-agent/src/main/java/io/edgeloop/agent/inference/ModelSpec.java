package io.edgeloop.agent.inference;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to run a model correctly: the ONNX file and the facts its model card states.
 *
 * @param onnx        the ONNX file
 * @param labels      class labels in output order
 * @param preprocess  input preprocessing (its crop size is the model's input height and width)
 * @param inputName   the input to feed, or null for the only input
 * @param outputName  the output to read, or null for the first output
 * @param outputKind  logits or probabilities
 * @param temperature calibration temperature for the softmax over logits
 * @param version     model version reported in events
 */
public record ModelSpec(Path onnx, List<String> labels, PreprocessSpec preprocess, String inputName,
        String outputName, OutputKind outputKind, double temperature, String version) {

    public ModelSpec {
        Objects.requireNonNull(onnx, "onnx");
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("model labels are " + labels + ", allowed at least 2 labels");
        }
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(outputKind, "outputKind");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature is " + temperature + ", allowed a finite number > 0");
        }
        Objects.requireNonNull(version, "version");
    }
}

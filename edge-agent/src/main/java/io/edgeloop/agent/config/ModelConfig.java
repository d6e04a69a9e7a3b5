package io.edgeloop.agent.config;

import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.util.List;

/**
 * The model to run. {@code path} is the ONNX model package. The other fields describe the model when its file
 * carries no model card (labels, preprocessing, output kind, temperature); a card in the file takes precedence.
 *
 * @param path        ONNX file
 * @param labels      class labels in output order (fallback when the file has no card)
 * @param preprocess  preprocessing (fallback; default torchvision ImageNet 256/224)
 * @param outputKind  whether the output holds logits or probabilities (fallback; default logits)
 * @param outputName  name of the output to read (default: the first output)
 * @param temperature calibration temperature for the softmax (fallback; default 1)
 * @param version     model version to report (fallback; default the file name)
 */
public record ModelConfig(
        String path,
        List<String> labels,
        PreprocessSpec preprocess,
        OutputKind outputKind,
        String outputName,
        Double temperature,
        String version) {

    public ModelConfig {
        path = ConfigValues.required("path", path, "the path of an .onnx model file");
        labels = labels == null ? List.of() : List.copyOf(labels);
        for (String label : labels) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("labels is " + labels + ", allowed non-empty strings");
            }
        }
        if (labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("labels is " + labels + ", allowed distinct labels");
        }
        preprocess = preprocess == null ? PreprocessSpec.IMAGENET_224 : preprocess;
        outputKind = outputKind == null ? OutputKind.LOGITS : outputKind;
        outputName = ConfigValues.optional(outputName);
        temperature = ConfigValues.doubleRange("temperature", temperature, 1.0, 1e-3, 1e3);
        version = ConfigValues.optional(version);
    }

    /** Same model config with another file. */
    public ModelConfig withPath(String newPath) {
        return new ModelConfig(newPath, labels, preprocess, outputKind, outputName, temperature, version);
    }
}

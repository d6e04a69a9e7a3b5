package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.Quantization;
import io.edgeloop.trainer.data.SkippedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link QuantizeJob} made.
 *
 * @param model          the int8 package written; empty when the accuracy gate refused it
 * @param card           its card (the fp32 card, version marked {@code -int8}, with {@code quantization})
 * @param quantization   both accuracies, the agreement, the method and the image counts
 * @param foldedBatchNorms BatchNormalization nodes folded into their Conv
 * @param quantizedTensors activations with a QuantizeLinear/DequantizeLinear pair
 * @param kernels        op histogram of the graph ONNX Runtime runs (after its QDQ fusions)
 * @param fp32Bytes      size of the fp32 package file
 * @param int8Bytes      size of the int8 package's bytes
 * @param skipped        images left out as unreadable (only with {@code skipUnreadable})
 * @param gateExceeded   true when the drop is above {@code --max-drop} (written anyway only with {@code --force})
 */
public record QuantizeResult(Optional<Path> model, ModelCard card, Quantization quantization, int foldedBatchNorms,
                             int quantizedTensors, Map<String, Integer> kernels, long fp32Bytes, long int8Bytes,
                             List<SkippedImage> skipped, boolean gateExceeded) {

    public QuantizeResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(quantization, "quantization");
        kernels = Map.copyOf(kernels);
        skipped = List.copyOf(skipped);
    }
}

package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.compare.PairedComparison.Outcome;
import io.edgeloop.trainer.data.SkippedImage;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.warning.RunWarning;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link EvaluateJob} measured.
 *
 * @param card          the evaluated model's card; empty for a plain ONNX model
 * @param preprocessing how the images were preprocessed (the card's, or declared for a plain ONNX model)
 * @param evaluation    accuracy, loss, per-class figures, confusion matrix, worst mistakes
 * @param skipped       images that could not be read, with the reason
 * @param warnings      what makes the accuracy hard to trust (a set too small for a ±5-point interval)
 * @param outcomes      each image's true label and prediction, in evaluation order
 * @param temperature   the temperature the logits were divided by (the card's; 1 for probabilities)
 * @param reliability   reliability and ECE of the scores as the device computes them (with {@code temperature})
 * @param uncalibrated  the same at temperature 1, for a model that outputs logits; empty for probabilities
 */
public record EvaluateResult(Optional<ModelCard> card, PreprocessSpec preprocessing, Evaluation evaluation,
                             List<SkippedImage> skipped, List<RunWarning> warnings,
                             List<Outcome> outcomes, double temperature, ReliabilityDiagram reliability,
                             Optional<ReliabilityDiagram> uncalibrated) {

    public EvaluateResult {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(evaluation, "evaluation");
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(reliability, "reliability");
        Objects.requireNonNull(uncalibrated, "uncalibrated");
    }
}

package io.edgeloop.trainer.train;

import io.edgeloop.trainer.calibrate.LabelledScores;
import io.edgeloop.trainer.data.SkippedImage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finished run produced (the network itself holds the best weights).
 *
 * @param config             the configuration used
 * @param decision           strategy requested, chosen and why
 * @param labels             class names
 * @param trainImages        training images used
 * @param validationImages   validation images used
 * @param skipped            unreadable images left out
 * @param datasetFingerprint see {@link io.edgeloop.trainer.data.DatasetFingerprint}
 * @param history            every epoch, including those before a resume
 * @param bestEpoch          epoch whose weights were kept (the last one without validation data)
 * @param stoppedEarly       a listener (early stopping) ended the run before {@code config.epochs()}
 * @param resumedAfterEpoch  epochs that were already done when this process started (0 = fresh run)
 * @param evaluation         the kept weights on the validation images; empty without validation data
 * @param featureCacheUsed   the head trained on cached backbone features
 * @param seconds            wall time of this process's part of the run
 * @param validationScores   the kept weights' logits on the validation images (for calibration); empty without
 *                           validation data
 * @param trainCounts        training images per class, in label order (drift telemetry's reference class mix);
 *                           empty where not known
 */
public record FitResult(FitConfig config, StrategyDecision decision, List<String> labels, int trainImages,
                        int validationImages, List<SkippedImage> skipped, String datasetFingerprint,
                        List<EpochMetrics> history, int bestEpoch, boolean stoppedEarly, int resumedAfterEpoch,
                        Optional<Evaluation> evaluation, boolean featureCacheUsed, double seconds,
                        Optional<LabelledScores> validationScores, List<Integer> trainCounts) {

    public FitResult {
        labels = List.copyOf(labels);
        skipped = List.copyOf(skipped);
        history = List.copyOf(history);
        Objects.requireNonNull(validationScores, "validationScores");
        trainCounts = List.copyOf(trainCounts);
        if (!trainCounts.isEmpty() && trainCounts.size() != labels.size()) {
            throw new IllegalArgumentException("trainCounts has " + trainCounts.size() + " entries, allowed one per"
                    + " label (" + labels.size() + ")");
        }
    }

    /** A result without validation logits (nothing to calibrate on) and without per-class training counts. */
    public FitResult(FitConfig config, StrategyDecision decision, List<String> labels, int trainImages,
                     int validationImages, List<SkippedImage> skipped, String datasetFingerprint,
                     List<EpochMetrics> history, int bestEpoch, boolean stoppedEarly, int resumedAfterEpoch,
                     Optional<Evaluation> evaluation, boolean featureCacheUsed, double seconds) {
        this(config, decision, labels, trainImages, validationImages, skipped, datasetFingerprint, history, bestEpoch,
                stoppedEarly, resumedAfterEpoch, evaluation, featureCacheUsed, seconds, Optional.empty(), List.of());
    }
}

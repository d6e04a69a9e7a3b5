package io.edgeloop.trainer.calibrate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Calibrates a model on its validation scores: fits the temperature ({@link TemperatureScaling}), measures the
 * reliability before and after ({@link ReliabilityDiagram}) and derives the per-class thresholds for the target
 * precision from the calibrated scores ({@link PrecisionThresholds}). Below {@value #MIN_IMAGES} images a fitted
 * temperature and thresholds would mostly describe noise: the temperature stays 1, no thresholds are suggested, and
 * the result says why. Immutable.
 */
public final class Calibrator {

    /** The default target precision of the per-class thresholds. */
    public static final double DEFAULT_TARGET_PRECISION = 0.9;
    /** Fewest validation images a temperature is fitted on. */
    public static final int MIN_IMAGES = 20;

    /** The defaults: 15 bins, target precision 0.9. */
    public static final Calibrator DEFAULT = new Calibrator(ReliabilityDiagram.DEFAULT_BINS,
            DEFAULT_TARGET_PRECISION);

    private final int bins;
    private final double targetPrecision;

    /**
     * @param bins            reliability bins, 1..1000
     * @param targetPrecision precision the thresholds aim for, in (0, 1]
     */
    public Calibrator(int bins, double targetPrecision) {
        if (bins < 1 || bins > 1000) {
            throw new IllegalArgumentException("bins is " + bins + ", allowed 1..1000");
        }
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("--target-precision is " + targetPrecision + ", allowed 0 < P <= 1");
        }
        this.bins = bins;
        this.targetPrecision = targetPrecision;
    }

    public double targetPrecision() {
        return targetPrecision;
    }

    /**
     * Calibrates on the validation scores.
     *
     * @param labels class names, index order (as many as the scores have classes)
     */
    public Calibration calibrate(LabelledScores validation, List<String> labels) {
        if (labels.size() != validation.classes()) {
            throw new IllegalArgumentException(labels.size() + " labels " + labels + " for scores of "
                    + validation.classes() + " classes");
        }
        int[] truth = validation.truth();
        ReliabilityDiagram before = ReliabilityDiagram.of(validation.probabilities(1), truth, labels.size(), bins);
        if (validation.images() < MIN_IMAGES) {
            double nll = validation.images() == 0 ? Double.NaN : validation.nll(1);
            String why = String.format(Locale.ROOT, "%d validation images, at least %d needed",
                    validation.images(), MIN_IMAGES);
            return new Calibration(1, Optional.of(why), validation.images(), nll, nll, before, before,
                    targetPrecision, List.of());
        }
        TemperatureScaling.Fit fit = TemperatureScaling.fit(validation);
        float[] calibrated = validation.probabilities(fit.temperature());
        ReliabilityDiagram after = ReliabilityDiagram.of(calibrated, truth, labels.size(), bins);
        return new Calibration(fit.temperature(), Optional.empty(), validation.images(), fit.nllBefore(),
                fit.nllAfter(), before, after, targetPrecision,
                PrecisionThresholds.compute(calibrated, truth, labels, targetPrecision));
    }
}

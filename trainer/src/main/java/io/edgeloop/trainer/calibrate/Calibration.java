package io.edgeloop.trainer.calibrate;

import io.edgeloop.trainer.calibrate.PrecisionThresholds.ClassThreshold;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What calibrating a model on its validation images gave: the temperature, the NLL and reliability before
 * ({@code T = 1}) and after, and the per-class thresholds for the target precision on the calibrated scores.
 *
 * @param temperature     the fitted temperature; 1 when not fitted
 * @param notFitted       why no temperature was fitted (too few images); empty when it was
 * @param images          validation images used
 * @param nllBefore       mean NLL at {@code T = 1}
 * @param nllAfter        mean NLL at {@code temperature}
 * @param before          reliability at {@code T = 1}
 * @param after           reliability at {@code temperature}
 * @param targetPrecision the precision the thresholds aim for
 * @param thresholds      one entry per class, index order; empty when not fitted
 */
public record Calibration(double temperature, Optional<String> notFitted, int images, double nllBefore,
                          double nllAfter, ReliabilityDiagram before, ReliabilityDiagram after,
                          double targetPrecision, List<ClassThreshold> thresholds) {

    public Calibration {
        Objects.requireNonNull(notFitted, "notFitted");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        thresholds = List.copyOf(thresholds);
    }

    /** Whether a temperature was fitted (else it is 1 and there are no thresholds). */
    public boolean fitted() {
        return notFitted.isEmpty();
    }

    /** Number of reliability bins. */
    public int bins() {
        return after.bins().size();
    }

    /** The thresholds that reach the target, label to threshold, in class order. */
    public Map<String, Double> reachedThresholds() {
        Map<String, Double> out = new LinkedHashMap<>();
        thresholds.forEach(t -> t.threshold().ifPresent(v -> out.put(t.label(), v)));
        return out;
    }

    /**
     * One line for people: {@code temperature 1.42, ECE 0.081 → 0.032 (40 validation images, 15 bins)}, or
     * {@code temperature 1 (not fitted: ...), ECE 0.120 (...)}.
     */
    public String summary() {
        if (!fitted()) {
            return String.format(Locale.ROOT, "temperature 1 (not fitted: %s), ECE %.3f (%d validation images, %d"
                    + " bins)", notFitted.get(), before.ece(), images, bins());
        }
        return String.format(Locale.ROOT, "temperature %.3f, ECE %.3f → %.3f (%d validation images, %d bins)",
                temperature, before.ece(), after.ece(), images, bins());
    }
}

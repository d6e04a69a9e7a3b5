package io.edgeloop.protocol.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-class score thresholds suggested by the trainer for a target precision: for each class, the lowest calibrated
 * score {@code s} such that, of the validation images the model predicted as that class with a score of at least
 * {@code s}, a share of at least {@code targetPrecision} really were that class. A class for which no threshold
 * reaches the target (or that was never predicted) has no entry; on the device it keeps the agent's global minimum
 * confidence. The scores are the card's: {@code softmax(logits / temperature)}.
 *
 * @param targetPrecision the precision the thresholds aim for, in (0, 1]
 * @param perClass        label to threshold in [0, 1]; every label is one of the card's labels; may be empty
 */
public record ClassThresholds(double targetPrecision, Map<String, Double> perClass) {

    public ClassThresholds {
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("thresholds.targetPrecision is " + targetPrecision
                    + ", allowed a number in (0, 1]");
        }
        if (perClass == null) {
            throw new IllegalArgumentException("thresholds.perClass is missing, allowed an object of label to"
                    + " threshold in [0, 1] (may be empty)");
        }
        TreeMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> e : perClass.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("thresholds.perClass has a blank label, allowed the card's labels");
            }
            Double value = e.getValue();
            if (value == null || !(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("thresholds.perClass." + e.getKey() + " is " + value
                        + ", allowed a number in [0, 1]");
            }
            copy.put(e.getKey(), value);
        }
        perClass = Collections.unmodifiableMap(copy);
    }
}

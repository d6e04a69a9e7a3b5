package io.edgeloop.trainer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The validation accuracy a version's {@code metrics.json} reports, with its 95 % Wilson interval when written.
 *
 * @param accuracy share of validation images right, in [0, 1]
 * @param low      interval's lower bound, or {@code NaN} when the metrics carry none
 * @param high     interval's upper bound, or {@code NaN}
 * @param images   validation images
 */
public record ValidationAccuracy(double accuracy, double low, double high, int images) {

    /** Whether the interval is known. */
    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** From the {@code final} object of a {@code metrics.json} tree; empty when the run had no validation. */
    static Optional<ValidationAccuracy> fromMetrics(JsonNode metrics) {
        JsonNode fin = metrics.path("final");
        if (!fin.path("accuracy").isNumber()) {
            return Optional.empty();
        }
        JsonNode ci = fin.path("accuracyInterval");
        double low = ci.path("low").isNumber() ? ci.get("low").asDouble() : Double.NaN;
        double high = ci.path("high").isNumber() ? ci.get("high").asDouble() : Double.NaN;
        return Optional.of(new ValidationAccuracy(fin.get("accuracy").asDouble(), low, high,
                fin.path("images").asInt(0)));
    }
}

package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.train.FitConfig;
import java.util.Map;

/**
 * Builds a {@link FitConfig} from command-line values and, when it is invalid, says so in the user's words:
 * {@code FitConfig} names its fields ({@code learningRate is 20.0 …}), a user typed options ({@code --lr}).
 */
final class FitOptionNames {

    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("strategy", "--strategy"), Map.entry("epochs", "--epochs"),
            Map.entry("batchSize", "--batch-size"), Map.entry("imageSize", "--image-size"),
            Map.entry("learningRate", "--lr"), Map.entry("backboneLrFactor", "--backbone-lr-factor"),
            Map.entry("optimiser", "--optimizer"), Map.entry("momentum", "--momentum"),
            Map.entry("nesterov", "--nesterov"), Map.entry("weightDecay", "--weight-decay"),
            Map.entry("schedule", "--schedule"), Map.entry("stepEpochs", "--step-epochs"),
            Map.entry("stepGamma", "--step-gamma"), Map.entry("warmupEpochs", "--warmup-epochs"),
            Map.entry("labelSmoothing", "--label-smoothing"), Map.entry("patience", "--patience"),
            Map.entry("seed", "--seed"), Map.entry("freezeFraction", "--freeze"), Map.entry("device", "--device"),
            Map.entry("imbalance", "--imbalance"), Map.entry("logEverySteps", "--log-every"));

    private FitOptionNames() {
    }

    /** {@code builder.build()}, with the option instead of the field at the start of a validation message. */
    static FitConfig build(FitConfig.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(inOptionTerms(String.valueOf(e.getMessage())), e);
        }
    }

    static String inOptionTerms(String message) {
        int space = message.indexOf(' ');
        String field = space < 0 ? message : message.substring(0, space);
        String option = OPTIONS.get(field);
        return option == null ? message : option + message.substring(field.length());
    }
}

package io.edgeloop.trainer.cli;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds configuration objects from command-line values and, when one is invalid, says so in the user's words:
 * {@code FitConfig} and {@code PretrainConfig} name their fields ({@code learningRate is 20.0 …}), a user typed
 * options ({@code --lr}).
 */
final class OptionNames {

    /** {@code trainer fit}: FitConfig's fields. */
    static final Map<String, String> FIT = Map.ofEntries(
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

    /** {@code trainer pretrain}: PretrainConfig's and ArchSpec's fields. */
    static final Map<String, String> PRETRAIN = Map.of("epochs", "--epochs", "batchSize", "--batch-size",
            "learningRate", "--lr", "width", "--width", "image size", "--image-size");

    private OptionNames() {
    }

    /** {@code build.get()}, with the option instead of the field at the start of a validation message. */
    static <T> T build(Supplier<T> build, Map<String, String> options) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(inOptionTerms(String.valueOf(e.getMessage()), options), e);
        }
    }

    static String inOptionTerms(String message, Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (message.startsWith(e.getKey() + " ")) {
                return e.getValue() + message.substring(e.getKey().length());
            }
        }
        return message;
    }
}

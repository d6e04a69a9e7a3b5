package io.edgeloop.agent.inference;

import java.util.List;

/**
 * The decision for one frame.
 *
 * @param label      the top-1 label, or {@link Postprocessor#UNKNOWN} when below its threshold
 * @param score      the top-1 probability
 * @param margin     top-1 minus top-2 probability (how sure the model is between its two best guesses)
 * @param top        the top-k labels with probabilities, best first
 * @param threshold  the confidence threshold in force for the top-1 label (its class threshold or the minimum)
 * @param entropy    the entropy of the whole distribution (not only the top-k) divided by log(number of classes):
 *                   0 when one class has all the probability, 1 when all are equally likely
 */
public record Classification(String label, double score, double margin, List<Ranked> top, double threshold,
        double entropy) {

    /** One label and its probability. */
    public record Ranked(String label, double score) {
    }

    public Classification {
        top = List.copyOf(top);
        if (!(entropy >= 0 && entropy <= 1)) {
            throw new IllegalArgumentException("entropy is " + entropy + ", allowed 0..1 (normalised)");
        }
    }

    /** Whether the decision fell below the confidence threshold. */
    public boolean unknown() {
        return Postprocessor.UNKNOWN.equals(label);
    }

    /** The model's best label even when the decision is unknown. */
    public String topLabel() {
        return top.get(0).label();
    }
}

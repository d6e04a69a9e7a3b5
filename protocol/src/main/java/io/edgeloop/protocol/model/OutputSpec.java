package io.edgeloop.protocol.model;

/**
 * The classifier's output as the card declares it.
 *
 * @param kind          whether {@code name} holds logits or probabilities
 * @param name          name of the graph output with one score per label, shape {@code [N, labels]}
 * @param probabilities optional name of an extra graph output holding softmax probabilities (only with
 *                      {@link OutputKind#LOGITS}); {@code null} when absent
 */
public record OutputSpec(OutputKind kind, String name, String probabilities) {

    public OutputSpec {
        if (kind == null) {
            throw new IllegalArgumentException("output.kind is missing, allowed one of [logits, probabilities]");
        }
        Names.requireText("output.name", name, 256);
        if (probabilities != null) {
            Names.requireText("output.probabilities", probabilities, 256);
            if (kind == OutputKind.PROBABILITIES) {
                throw new IllegalArgumentException("output.probabilities is \"" + probabilities
                        + "\", allowed only when output.kind is logits (absent when it is probabilities)");
            }
            if (probabilities.equals(name)) {
                throw new IllegalArgumentException("output.probabilities is \"" + probabilities
                        + "\", allowed a graph output other than output.name");
            }
        }
    }

    /** Logits under {@code name}, no extra probabilities output. */
    public static OutputSpec logits(String name) {
        return new OutputSpec(OutputKind.LOGITS, name, null);
    }
}

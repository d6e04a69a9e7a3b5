package io.edgeloop.agent.inference;

/** What a model's output holds. */
public enum OutputKind {
    /** Unnormalised scores: the agent applies a softmax with the calibration temperature. */
    LOGITS,
    /** Probabilities that already sum to one: used as they are. */
    PROBABILITIES
}

package io.edgeloop.protocol.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a classifier's main output holds: raw scores, or scores that already sum to 1. */
public enum OutputKind {
    /** Unnormalised scores; the consumer applies softmax (after dividing by the card's temperature). */
    @JsonProperty("logits")
    LOGITS,
    /** Probabilities that sum to 1 per image; temperature scaling does not apply. */
    @JsonProperty("probabilities")
    PROBABILITIES
}

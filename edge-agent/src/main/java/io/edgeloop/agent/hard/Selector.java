package io.edgeloop.agent.hard;

import io.edgeloop.protocol.mqtt.HardExampleReason;

/**
 * The hard-example selectors in the order their reasons take precedence: when several fire on a frame, the reason
 * sent is the first of them (with room in its own budget). Audit comes first so that the random sample stays
 * random: a sampled frame is sent as {@code audit} even when it is also uncertain. Then the specific signals (a
 * shadow model disagreed, a class asked for by name), then the uncertainty measures, most to least direct.
 */
public enum Selector {
    AUDIT(HardExampleReason.AUDIT, "audit"),
    DISAGREEMENT(HardExampleReason.DISAGREEMENT, "disagreement"),
    CLASS(HardExampleReason.CLASS, "classes"),
    LOW_CONFIDENCE(HardExampleReason.LOW_CONFIDENCE, "lowConfidence"),
    MARGIN(HardExampleReason.MARGIN, "margin"),
    ENTROPY(HardExampleReason.ENTROPY, "entropy");

    private final HardExampleReason reason;
    private final String configKey;

    Selector(HardExampleReason reason, String configKey) {
        this.reason = reason;
        this.configKey = configKey;
    }

    /** The reason a frame sent for this selector carries. */
    public HardExampleReason reason() {
        return reason;
    }

    /** Its key under {@code hardExamples.selectors}. */
    public String configKey() {
        return configKey;
    }

    /** This selector's bit in a set of fired selectors. */
    int bit() {
        return 1 << ordinal();
    }
}

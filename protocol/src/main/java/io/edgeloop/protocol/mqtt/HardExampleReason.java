package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why the agent sent a frame back for labelling. */
public enum HardExampleReason {
    /** The top score was below the confidence threshold. */
    @JsonProperty("low-confidence")
    LOW_CONFIDENCE,
    /** The top two scores were closer than the margin threshold. */
    @JsonProperty("margin")
    MARGIN,
    /** The active model and a shadow (candidate) model disagreed on the top label. */
    @JsonProperty("disagreement")
    DISAGREEMENT
}

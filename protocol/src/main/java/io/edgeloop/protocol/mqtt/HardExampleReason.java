package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * Why the agent sent a frame back for labelling. Values are appended, never renamed: consumers of schema 1 that
 * predate a value reject a message carrying it, so a new value is documented in docs/mqtt.md before agents send it.
 */
public enum HardExampleReason {
    /** The top score was below the confidence threshold. */
    @JsonProperty("low-confidence")
    LOW_CONFIDENCE("low-confidence"),
    /** The top two scores were closer than the margin threshold. */
    @JsonProperty("margin")
    MARGIN("margin"),
    /** The active model and a shadow (candidate) model disagreed on the top label. */
    @JsonProperty("disagreement")
    DISAGREEMENT("disagreement"),
    /** The normalised entropy of the whole distribution was above the entropy threshold. */
    @JsonProperty("entropy")
    ENTROPY("entropy"),
    /** The top-1 label was one of the classes chosen for collection (optionally only below a confidence). */
    @JsonProperty("class")
    CLASS("class"),
    /** A random sample at a fixed rate, independent of uncertainty: measures the model where it is confident. */
    @JsonProperty("audit")
    AUDIT("audit");

    /** Every value as written in JSON, in declaration order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(HardExampleReason::wireName).toList();

    private final String wireName;

    HardExampleReason(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written in JSON ({@code low-confidence}, {@code margin}, ...). */
    public String wireName() {
        return wireName;
    }
}

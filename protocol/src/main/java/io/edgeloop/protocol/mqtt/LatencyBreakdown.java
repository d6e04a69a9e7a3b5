package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
/**
 * Where the time of one classification went, in milliseconds.
 *
 * @param decodeMs     image decode (JPEG or raw frame to pixels)
 * @param preprocessMs resize, crop, normalise into the input tensor
 * @param inferenceMs  model run
 */
public record LatencyBreakdown(
        @JsonProperty(required = true) double decodeMs,
        @JsonProperty(required = true) double preprocessMs,
        @JsonProperty(required = true) double inferenceMs) {

    public LatencyBreakdown {
        Fields.nonNegative("decodeMs", decodeMs);
        Fields.nonNegative("preprocessMs", preprocessMs);
        Fields.nonNegative("inferenceMs", inferenceMs);
    }

    /** Sum of the three stages. */
    public double totalMs() {
        return decodeMs + preprocessMs + inferenceMs;
    }
}

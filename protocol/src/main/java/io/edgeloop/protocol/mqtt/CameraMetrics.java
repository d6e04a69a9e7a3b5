package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-camera counters and rates within {@link DeviceMetrics}. Counters run from agent start.
 *
 * @param camera       camera id
 * @param fps          classified frames per second over the last metrics interval
 * @param frames       frames classified
 * @param drops        frames dropped because the pipeline was busy
 * @param rejected     frames rejected as invalid (undecodable, wrong size, over limits)
 * @param latencyP50Ms median capture-to-result latency over the last interval, ms
 * @param latencyP95Ms 95th percentile of the same, ms (at least the median)
 * @param predictions  class counts and confidence histogram of the last interval; optional ({@code null}: not
 *                     sent, as by agents before drift telemetry or before a camera classified its first frame)
 */
public record CameraMetrics(
        String camera,
        @JsonProperty(required = true) double fps,
        @JsonProperty(required = true) long frames,
        @JsonProperty(required = true) long drops,
        @JsonProperty(required = true) long rejected,
        @JsonProperty(required = true) double latencyP50Ms,
        @JsonProperty(required = true) double latencyP95Ms,
        PredictionStats predictions) {

    public CameraMetrics {
        Fields.device("camera", camera);
        Fields.nonNegative("fps", fps);
        Fields.nonNegative("frames", frames);
        Fields.nonNegative("drops", drops);
        Fields.nonNegative("rejected", rejected);
        Fields.nonNegative("latencyP50Ms", latencyP50Ms);
        Fields.nonNegative("latencyP95Ms", latencyP95Ms);
        if (latencyP95Ms < latencyP50Ms) {
            throw new IllegalArgumentException("latencyP95Ms is " + latencyP95Ms + ", allowed at least latencyP50Ms ("
                    + latencyP50Ms + ")");
        }
    }

    /** Figures without {@code predictions}. */
    public CameraMetrics(String camera, double fps, long frames, long drops, long rejected, double latencyP50Ms,
                         double latencyP95Ms) {
        this(camera, fps, frames, drops, rejected, latencyP50Ms, latencyP95Ms, null);
    }
}

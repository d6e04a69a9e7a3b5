package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Periodic health of an agent, on {@code <prefix>/<device>/metrics}. Counters run from agent start.
 *
 * @param schema        payload version, {@value Payloads#SCHEMA}
 * @param device        device id
 * @param at            when the metrics were taken
 * @param uptimeS       seconds since the agent started
 * @param cameras       per-camera figures, unique cameras
 * @param queueDepth    frames waiting for inference
 * @param cpuLoad       the agent process's CPU use as a fraction of all cores, 0..1
 * @param rssBytes      resident memory of the agent process
 * @param spoolMessages messages waiting in the on-disk spool
 * @param spoolBytes    bytes the spool occupies
 * @param spoolDropped  messages the spool dropped because it was full
 * @param reconnects    MQTT reconnects since start
 */
public record DeviceMetrics(
        @JsonProperty(required = true) int schema,
        String device,
        Instant at,
        @JsonProperty(required = true) long uptimeS,
        List<CameraMetrics> cameras,
        @JsonProperty(required = true) int queueDepth,
        @JsonProperty(required = true) double cpuLoad,
        @JsonProperty(required = true) long rssBytes,
        @JsonProperty(required = true) long spoolMessages,
        @JsonProperty(required = true) long spoolBytes,
        @JsonProperty(required = true) long spoolDropped,
        @JsonProperty(required = true) long reconnects) implements Payload {

    public DeviceMetrics {
        Fields.schema(schema);
        Fields.device("device", device);
        Fields.instant("at", at);
        Fields.nonNegative("uptimeS", uptimeS);
        Fields.present("cameras", cameras, "a list of per-camera metrics");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            CameraMetrics c = Fields.present("cameras[" + i + "]", cameras.get(i), "per-camera metrics");
            if (!seen.add(c.camera())) {
                throw new IllegalArgumentException("cameras[" + i + "].camera is \"" + c.camera()
                        + "\", a duplicate, allowed unique cameras");
            }
        }
        cameras = List.copyOf(cameras);
        Fields.nonNegative("queueDepth", queueDepth);
        Fields.unit("cpuLoad", cpuLoad);
        Fields.nonNegative("rssBytes", rssBytes);
        Fields.nonNegative("spoolMessages", spoolMessages);
        Fields.nonNegative("spoolBytes", spoolBytes);
        Fields.nonNegative("spoolDropped", spoolDropped);
        Fields.nonNegative("reconnects", reconnects);
    }
}

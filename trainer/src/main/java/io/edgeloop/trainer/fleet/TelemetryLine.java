package io.edgeloop.trainer.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgeloop.protocol.id.Ids;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded metrics message of one camera: when the device took it, whose camera, and what the camera's model
 * predicted over the interval before it. One JSON line in a {@link TelemetryLog}.
 *
 * @param at          the metrics message's {@code at}, the end of the interval
 * @param device      device id
 * @param camera      camera id
 * @param predictions the camera's class counts and confidence histogram
 */
public record TelemetryLine(Instant at, String device, String camera,
                            @JsonProperty(required = true) PredictionStats predictions) {

    public TelemetryLine {
        Objects.requireNonNull(at, "at");
        Ids.require("device", device);
        Ids.require("camera", camera);
        Objects.requireNonNull(predictions, "predictions");
    }

    /** The line as compact JSON, without the newline. */
    public String toJson() {
        try {
            return ProtocolJson.writer().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a telemetry line", e);
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException naming the bad field, its value and what is allowed
     */
    public static TelemetryLine fromJson(String line) {
        return ProtocolJson.bind(ProtocolJson.tolerantReader(),
                ProtocolJson.parseTree(line.getBytes(StandardCharsets.UTF_8)), TelemetryLine.class);
    }
}

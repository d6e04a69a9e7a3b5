package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.MqttCredentials;
import java.time.Duration;
import java.util.Objects;

/**
 * Where to read the devices' retained status from.
 *
 * @param broker      MQTT broker URI ({@code --broker})
 * @param waitFor     how long to collect status messages ({@code --wait}), &gt; 0
 * @param topics      topic prefix
 * @param clientId    MQTT client id
 * @param credentials broker login
 */
public record StatusSource(String broker, Duration waitFor, Topics topics, String clientId,
                           MqttCredentials credentials) {

    public StatusSource {
        Objects.requireNonNull(broker, "--broker is required");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(credentials, "credentials");
        if (waitFor == null || waitFor.isNegative() || waitFor.isZero()) {
            throw new IllegalArgumentException("--wait is " + (waitFor == null ? null : waitFor.toMillis() / 1000.0)
                    + " seconds, allowed > 0 (the retained status arrives within a second on a local network)");
        }
    }
}

package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.BrokerException;
import io.edgeloop.trainer.collect.MqttCredentials;
import io.edgeloop.trainer.deploy.FleetStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttException;

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

    /**
     * The latest retained status of every device, by id, collected for {@link #waitFor()}.
     *
     * @throws JobFailure when the broker cannot be reached or refuses the subscription (naming it)
     */
    public Map<String, DeviceStatus> read() throws InterruptedException {
        try {
            return FleetStatus.read(broker, clientId, topics, credentials, waitFor);
        } catch (MqttException e) {
            throw new JobFailure("broker " + broker + ": " + BrokerException.describe(e), e);
        }
    }
}

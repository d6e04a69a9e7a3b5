package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.ReceivedMessage;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.SubscriberCallback;
import io.edgeloop.trainer.collect.MqttCredentials;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the devices' retained status ({@code <prefix>/+/status}): subscribes, collects what the broker hands out
 * during {@code wait} (the retained messages arrive right after the subscription), disconnects and returns the
 * latest status per device. Read-only: it publishes nothing.
 */
public final class FleetStatus {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStatus.class);
    private static final long TIMEOUT_MILLIS = 10_000;

    private FleetStatus() {
    }

    /**
     * The latest status of every device that has one retained, by device id.
     *
     * @throws MqttException if the broker cannot be reached or refuses the subscription (the caller reports it)
     */
    public static Map<String, DeviceStatus> read(String brokerUri, String clientId, Topics topics,
                                                 MqttCredentials credentials, Duration wait)
            throws MqttException, InterruptedException {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(wait, "wait");
        Map<String, DeviceStatus> devices = new TreeMap<>();
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        try {
            client.setTimeToWait(TIMEOUT_MILLIS);
            client.setCallback(new SubscriberCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (message.getPayload().length == 0) {
                        return; // a cleared retained status
                    }
                    try {
                        ReceivedMessage m = Payloads.decode(topics, topic, message.getPayload());
                        if (m.payload() instanceof DeviceStatus s) {
                            synchronized (devices) {
                                devices.put(s.device(), s);
                            }
                        }
                    } catch (MessageRejectedException e) {
                        LOG.warn("status: ignored a malformed message on {}: {}", topic, e.getMessage());
                    }
                }

                @Override
                protected void trouble(String what, boolean lost) {
                    LOG.warn("status: {}", what);
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setConnectionTimeout(10);
            credentials.applyTo(options);
            client.connect(options);
            client.subscribe(topics.filter(TopicKind.STATUS), 1);
            Thread.sleep(wait.toMillis());
        } finally {
            close(client);
        }
        synchronized (devices) {
            return new TreeMap<>(devices);
        }
    }

    private static void close(MqttClient client) throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_MILLIS / 2);
            }
        } catch (MqttException e) {
            LOG.debug("status: disconnect: {}", e.toString());
        } finally {
            client.close();
        }
    }
}

package io.edgeloop.protocol.testing;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Paho clients for tests. A plain {@link MqttClient} waits forever for an acknowledgement that never comes (a QoS 1
 * publish, a subscribe, a disconnect), which turns a broker fault into a hung build; these give up after
 * {@link #WAIT_MILLIS} with an exception that names the call.
 */
public final class TestMqtt {

    /** How long any blocking call of a test client may wait. */
    public static final long WAIT_MILLIS = 20_000;

    private TestMqtt() {
    }

    /** A synchronous client with in-memory persistence and bounded waits. */
    public static MqttClient client(String brokerUri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        client.setTimeToWait(WAIT_MILLIS);
        return client;
    }

    /** A callback that hands every arriving message to {@code handler} and ignores Paho's other events. */
    public static MqttCallback onMessage(IMqttMessageListener handler) {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                handler.messageArrived(topic, message);
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }
}

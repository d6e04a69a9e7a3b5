package io.edgeloop.agent.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The campaign's receiving end: a persistent-session QoS 1 subscriber that reconnects on its own and subscribes
 * again after every connect, as the trainer's collector does (a broker killed without saving its state forgets the
 * session and its subscriptions). Keeps what arrives for {@link #drain}.
 */
final class Collector implements AutoCloseable {

    /**
     * One received message.
     *
     * @param receivedAtMillis wall-clock arrival time (for end-to-end latency against the event's capturedAt)
     */
    record Message(String topic, byte[] payload, long receivedAtMillis) {
    }

    private final MqttAsyncClient client;
    private final String[] filters;
    private final ConcurrentLinkedQueue<Message> received = new ConcurrentLinkedQueue<>();

    Collector(String uri, String clientId, String... filters) throws MqttException {
        this.filters = filters.clone();
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], 1);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                received.add(new Message(topic, m.getPayload(), System.currentTimeMillis()));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    try {
                        client.subscribe(subs);
                    } catch (MqttException e) {
                        throw new IllegalStateException("resubscribe to " + List.of(filters) + " failed", e);
                    }
                }
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        client.connect(options).waitForCompletion(5000);
        client.subscribe(subs).waitForCompletion(5000);
    }

    /** Takes everything received so far. */
    List<Message> drain() {
        List<Message> out = new ArrayList<>();
        for (Message m; (m = received.poll()) != null; ) {
            out.add(m);
        }
        return out;
    }

    /** Drops the connection without a DISCONNECT, as a killed process would; the session stays on the broker. */
    void kill() throws MqttException {
        client.disconnectForcibly(0, 0, false);
        client.close(true);
    }

    /**
     * Leaves for good: unsubscribes, then disconnects. A persistent session that only disconnected would stay a
     * member of a shared subscription and keep its share of the messages queued until it expires.
     */
    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.unsubscribe(filters).waitForCompletion(2000);
                client.disconnect().waitForCompletion(2000);
            }
        } finally {
            client.close(true);
        }
    }
}

package io.edgeloop.agent.testing;

import io.edgeloop.protocol.testing.TestMqtt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * A test subscriber with a persistent session (clean start false) so QoS 1 messages sent while the broker restarts
 * are not lost on its side either; collects messages in arrival order.
 */
public final class Subscriber implements AutoCloseable {

    /** A received message. */
    public record Received(String topic, byte[] payload, boolean retained, String contentType) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final List<Received> backlog = new ArrayList<>();
    private final String[] filters;
    private final MqttConnectionOptions options;

    public Subscriber(String uri, String clientId, String... filters) throws MqttException {
        this.filters = filters.clone();
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        client.setCallback(TestMqtt.onMessage((topic, m) -> queue.add(new Received(topic, m.getPayload(),
                m.isRetained(), m.getProperties() == null ? null : m.getProperties().getContentType()))));
        client.connect(options).waitForCompletion(5000);
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], 1);
        }
        client.subscribe(subs).waitForCompletion(5000);
    }

    /** Waits for the next message, or null after the timeout. */
    public Received poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    /** Waits until {@code count} messages matching the topic suffix arrived; others are kept for later calls. */
    public List<Received> await(String topicSuffix, int count, long timeoutMillis) throws InterruptedException {
        List<Received> out = new ArrayList<>();
        synchronized (backlog) {
            for (var it = backlog.iterator(); it.hasNext() && out.size() < count;) {
                Received r = it.next();
                if (r.topic().endsWith(topicSuffix)) {
                    out.add(r);
                    it.remove();
                }
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (out.size() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            Received r = queue.poll(left, TimeUnit.MILLISECONDS);
            if (r != null && r.topic().endsWith(topicSuffix)) {
                out.add(r);
            } else if (r != null) {
                synchronized (backlog) {
                    backlog.add(r);
                }
            }
        }
        return out;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
        } finally {
            client.close(true);
        }
    }
}

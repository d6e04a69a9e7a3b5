package io.edgeloop.trainer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.trainer.broker.SubscriberCallback;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a device's classification events like a dashboard would and keeps a tally per model version: events, and
 * how many agree with the replayed frame's ground truth (the replay source knows it from the folder name).
 */
final class EventTally implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventTally.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_ATTEMPTS = 3;

    /** Events and correct answers of one model version. */
    record Count(long events, long withTruth, long correct) {

        double accuracy() {
            return withTruth == 0 ? Double.NaN : (double) correct / withTruth;
        }
    }

    private final MqttClient client;
    private final Map<String, long[]> byVersion = new TreeMap<>();
    private long malformed;

    private EventTally(MqttClient client) {
        this.client = client;
    }

    /**
     * Connects and subscribes, trying three times: the embedded broker has been seen to drop a connection that
     * subscribes right after its CONNACK when the machine is busy. The session is one the broker keeps and Paho
     * reconnects to, so the subscription and the QoS 1 events survive a dropped connection later on.
     */
    static EventTally watch(String brokerUri, String eventsFilter) throws MqttException, InterruptedException {
        MqttClient client = new MqttClient(brokerUri, "edgeloop-demo-dashboard", new MemoryPersistence());
        client.setTimeToWait(10_000); // a broker that stops answering fails the demo instead of hanging it
        client.setManualAcks(true); // acknowledged on arrival: see Deployer's callback for why
        EventTally tally = new EventTally(client);
        client.setCallback(tally.new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        for (int attempt = 1; ; attempt++) {
            try {
                client.connect(options);
                client.subscribe(new MqttSubscription[] {new MqttSubscription(eventsFilter, 1)});
                return tally;
            } catch (MqttException e) {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
                if (attempt == CONNECT_ATTEMPTS) {
                    client.close(true);
                    throw e;
                }
                LOG.info("event watcher: {} (attempt {} of {}); retrying", e.getMessage(), attempt, CONNECT_ATTEMPTS);
                Thread.sleep(500L * attempt);
            }
        }
    }

    synchronized Map<String, Count> counts() {
        Map<String, Count> out = new TreeMap<>();
        byVersion.forEach((version, c) -> out.put(version, new Count(c[0], c[1], c[2])));
        return out;
    }

    synchronized long malformed() {
        return malformed;
    }

    /** Waits until the tally satisfies a condition; false on timeout. */
    synchronized boolean await(Predicate<Map<String, Count>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(counts())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void record(byte[] payload) {
        try {
            JsonNode event = JSON.readTree(payload);
            String version = event.path("model").path("version").asText("?");
            String label = event.path("label").asText(null);
            long[] c = byVersion.computeIfAbsent(version, v -> new long[3]);
            c[0]++;
            JsonNode truth = event.get("groundTruth");
            if (truth != null && truth.isTextual()) {
                c[1]++;
                if (truth.asText().equals(label)) {
                    c[2]++;
                }
            }
        } catch (IOException e) {
            malformed++;
            LOG.warn("malformed event ignored: {}", e.getMessage());
        }
        notifyAll();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.debug("closing the event watcher: {}", e.getMessage());
        }
    }

    private final class Callback extends SubscriberCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) throws MqttException {
            client.messageArrivedComplete(message.getId(), message.getQos());
            record(message.getPayload());
        }

        @Override
        protected void trouble(String what, boolean lost) {
            LOG.debug("event watcher: {}", what);
        }
    }
}

package io.edgeloop.trainer.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.protocol.testing.TestMqtt;
import io.moquette.interception.messages.InterceptExceptionMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {

    @Test
    void mqtt5ClientsExchangeRetainedAndSharedSubscriptionMessages() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT)) {
            MqttClient publisher = connect(broker, "pub");
            MqttClient subscriber = connect(broker, "sub");
            try {
                byte[] payload = "{\"schema\":1}".getBytes(StandardCharsets.UTF_8);
                MqttMessage retained = new MqttMessage(payload, 1, true, null);
                publisher.publish("edgeloop/dev1/status", retained);

                BlockingQueue<MqttMessage> status = new ArrayBlockingQueue<>(4);
                BlockingQueue<MqttMessage> hard = new ArrayBlockingQueue<>(4);
                IMqttMessageListener toStatus = (topic, message) -> status.add(message);
                subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("edgeloop/+/status", 1)},
                        new IMqttMessageListener[] {toStatus});
                // Paho never calls per-subscription listeners for $share filters: route through the client callback.
                subscriber.setCallback(new MessageArrivedCallback((topic, message) -> {
                    if (topic.endsWith("/hard")) {
                        hard.add(message);
                    }
                }));
                subscriber.subscribe(new MqttSubscription[] {
                    new MqttSubscription("$share/collectors/edgeloop/+/+/hard", 1)});

                MqttMessage got = status.poll(10, TimeUnit.SECONDS);
                assertNotNull(got, "retained status not delivered to a late subscriber");
                assertArrayEquals(payload, got.getPayload());

                byte[] large = new byte[2 << 20];
                publisher.publish("edgeloop/dev1/cam1/hard", new MqttMessage(large, 1, false, null));
                MqttMessage example = hard.poll(10, TimeUnit.SECONDS);
                assertNotNull(example, "2 MiB message not delivered through a shared subscription");
                assertEquals(large.length, example.getPayload().length);
            } finally {
                disconnect(publisher);
                disconnect(subscriber);
            }
            assertEquals(Optional.empty(), broker.fault());
        }
    }

    @Test
    void aSessionThreadThatDiesIsReportedAsAFaultNamingTheRootCause() {
        EmbeddedBroker.SessionLoopWatch watch = new EmbeddedBroker.SessionLoopWatch();
        assertArrayEquals(new Class<?>[] {InterceptExceptionMessage.class}, watch.getInterceptedMessageTypes(),
                "only loop errors, so the watch never sees (or has to release) a publish");
        assertEquals(Optional.empty(), watch.fault());
        // What Moquette hands over when a session thread ends: its wrapper around the task's failure.
        watch.onSessionLoopError(new RuntimeException(new ExecutionException(
                new IllegalStateException("refCnt: 0, decrement: 1"))));
        watch.onSessionLoopError(new RuntimeException("a second failure"));
        assertEquals(Optional.of("a session thread stopped (java.lang.IllegalStateException: refCnt: 0, decrement: "
                + "1); the clients it served get no more acknowledgements. Restart it, or run the loop against "
                + "mosquitto"), watch.fault());
    }

    @Test
    void settingsRejectBadValuesNamingThem() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedBroker.Settings("127.0.0.1", 70_000, 1 << 20));
        assertEquals("broker port is 70000, allowed 0 (any free port)..65535", port.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedBroker.Settings("127.0.0.1", 0, 10));
        assertEquals("broker maxMessageBytes is 10, allowed >= 1024", size.getMessage());
    }

    private static MqttClient connect(EmbeddedBroker broker, String id) throws Exception {
        MqttClient client = TestMqtt.client(broker.uri(), id);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        return client;
    }

    private static void disconnect(MqttClient client) throws Exception {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}

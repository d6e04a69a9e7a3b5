package io.edgeloop.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTallyTest {

    private static final String FILTER = "edgeloop/cam-1/+/events";

    @TempDir
    Path dir;

    @Test
    void retriesABrokerThatIsNotUpYetAndKeepsCountingAcrossABrokerRestart() throws Exception {
        int port = Mosquitto.freePort();
        Mosquitto.assumeInstalled();
        // The broker comes up only after the first attempt was refused.
        CompletableFuture<Mosquitto> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return Mosquitto.startOnPort(dir.resolve("broker"), port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (EventTally tally = EventTally.watch("tcp://127.0.0.1:" + port, FILTER)) {
            Mosquitto broker = later.join();
            try {
                publish(broker, "1", "shirt", "shirt");
                publish(broker, "1", "shirt", "bag");
                assertTrue(tally.await(c -> c.containsKey("1") && c.get("1").events() == 2, Duration.ofSeconds(10)),
                        tally.counts().toString());

                broker.stopProcess();
                broker.startProcess();
                // Published while the watcher may still be reconnecting: the kept session queues it.
                publish(broker, "2", "bag", "bag");
                assertTrue(tally.await(c -> c.containsKey("2"), Duration.ofSeconds(30)), tally.counts().toString());
                assertEquals(new EventTally.Count(2, 2, 1), tally.counts().get("1"));
                assertEquals(new EventTally.Count(1, 1, 1), tally.counts().get("2"));
            } finally {
                broker.close();
            }
        }
    }

    private static void publish(Mosquitto broker, String version, String label, String truth) throws Exception {
        MqttClient device = TestMqtt.client(broker.uri(), "cam-1");
        device.connect(new MqttConnectionOptions());
        String event = "{\"model\":{\"version\":\"" + version + "\"},\"label\":\"" + label + "\",\"groundTruth\":\""
                + truth + "\"}";
        device.publish("edgeloop/cam-1/front/events", new MqttMessage(event.getBytes(StandardCharsets.UTF_8), 1,
                false, null));
        device.disconnect();
        device.close();
    }
}

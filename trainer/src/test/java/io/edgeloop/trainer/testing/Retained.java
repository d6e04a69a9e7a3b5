package io.edgeloop.trainer.testing;

import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.SubscriberCallback;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Retained messages on a real broker, as devices leave them: a device's status, the deploy command it would get. */
public final class Retained {

    private Retained() {
    }

    /** Publishes {@code device}'s retained status: online, running {@code model} (null: no model). */
    public static void publishStatus(String broker, String device, ModelRef model) throws Exception {
        publishStatus(broker, device, model, List.of());
    }

    /** Publishes {@code device}'s retained status: online, running {@code model}, in these rollout groups. */
    public static void publishStatus(String broker, String device, ModelRef model, List<String> groups)
            throws Exception {
        MqttClient client = new MqttClient(broker, "status-" + device, new MemoryPersistence());
        client.connect();
        DeviceStatus status = new DeviceStatus(1, device, DeviceState.ONLINE, Instant.parse("2026-12-07T10:00:00Z"),
                Instant.parse("2026-12-07T09:00:00Z"), "test", model, List.of("front"), groups);
        client.publish(Topics.DEFAULT.status(device), new MqttMessage(Payloads.encode(status), 1, true, null));
        client.disconnect();
        client.close();
    }

    /** The retained message on {@code topic}, or null when none arrives within 1.5 s. */
    public static byte[] message(String broker, String topic) throws Exception {
        BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(1);
        MqttClient client = new MqttClient(broker, "check-" + Integer.toHexString(topic.hashCode()),
                new MemoryPersistence());
        client.setCallback(new SubscriberCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                got.offer(message.getPayload());
            }

            @Override
            protected void trouble(String what, boolean lost) {
            }
        });
        client.connect();
        try {
            client.subscribe(topic, 1);
            return got.poll(1500, TimeUnit.MILLISECONDS);
        } finally {
            client.disconnect();
            client.close();
        }
    }
}

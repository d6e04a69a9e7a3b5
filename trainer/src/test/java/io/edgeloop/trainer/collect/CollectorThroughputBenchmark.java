package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast one collector stores hard examples (decode, validate, dHash, two fsynced atomic writes, acknowledge),
 * through mosquitto. Not part of the default run:
 * {@code ./mvnw -B -q -pl trainer -am test -Dtest=CollectorThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DexcludedTestGroups=none}.
 */
@Tag("benchmark")
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
class CollectorThroughputBenchmark {

    @TempDir
    Path dir;

    @Test
    void storesExamplesPerSecond() throws Exception {
        int count = 300;
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(HardExamples.payload("gate-01", "front", i, HardExamples.jpeg(HardExamples.image(1000 + i),
                    0.9f)));
        }
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            CollectorSettings settings = new CollectorSettings(broker.uri(), "bench", "collectors", Topics.DEFAULT,
                    Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofSeconds(1), MqttCredentials.NONE);
            HardExampleIntake intake = new HardExampleIntake(Inbox.open(dir.resolve("inbox")), Topics.DEFAULT, -1, 0,
                    Clock.systemUTC());
            MqttClient device = TestMqtt.client(broker.uri(), "gate-01");
            device.connect(new MqttConnectionOptions());
            try (HardExampleCollector collector = HardExampleCollector.start(settings, intake)) {
                assertTrue(collector.awaitSubscribed(Duration.ofSeconds(10)));
                long t0 = System.nanoTime();
                for (byte[] p : payloads) {
                    device.publish("edgeloop/gate-01/front/hard", new MqttMessage(p, 1, false, null));
                }
                HardExampleCollectorTest.await(() -> collector.summary().received() == count, "all received");
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(count, collector.summary().stored());
                System.out.printf(Locale.ROOT, "collector stored %d examples (%d-byte payloads) in %.2f s: %.0f/s%n",
                        count, payloads.get(0).length, seconds, count / seconds);
            } finally {
                device.disconnect();
                device.close();
            }
        }
    }
}

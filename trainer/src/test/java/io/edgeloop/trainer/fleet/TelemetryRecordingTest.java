package io.edgeloop.trainer.fleet;

import static io.edgeloop.trainer.fleet.FleetTelemetry.CONFIDENT;
import static io.edgeloop.trainer.fleet.FleetTelemetry.EVEN;
import static io.edgeloop.trainer.fleet.FleetTelemetry.MODEL;
import static io.edgeloop.trainer.fleet.FleetTelemetry.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.CameraMetrics;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.PredictionStats;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.job.CollectJob;
import io.edgeloop.trainer.job.CollectRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector records the metrics messages a device publishes through a real mosquitto, beside hard examples. */
class TelemetryRecordingTest {

    @TempDir
    Path dir;

    @Test
    void metricsWithPredictionsBecomeOneLinePerCameraAndBadOnesAreCounted() throws Exception {
        Mosquitto.assumeInstalled();
        FleetTelemetry t = new FleetTelemetry(9);
        PredictionStats first = t.minute(MODEL, 40, EVEN, CONFIDENT);
        PredictionStats second = t.minute(MODEL, 35, EVEN, CONFIDENT);
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"));
             CollectJob job = CollectJob.start(CollectRequest.builder().setBroker(broker.uri())
                     .setInbox(dir.resolve("loop/inbox")).optClientId("telemetry-test")
                     .optTelemetry(dir.resolve("loop/telemetry")).build())) {
            MqttClient device = TestMqtt.client(broker.uri(), "gate-01");
            device.connect(new MqttConnectionOptions());
            device.publish("edgeloop/gate-01/metrics", new MqttMessage(FleetTelemetry.metricsPayload("gate-01",
                    "front", T0.plusSeconds(60), first), 0, false, null));
            // two cameras, one without predictions (an older agent's figures, or no frame yet)
            device.publish("edgeloop/gate-01/metrics", new MqttMessage(Payloads.encode(new DeviceMetrics(1,
                    "gate-01", T0.plusSeconds(120), 120, List.of(new CameraMetrics("front", 1, 75, 0, 0, 5, 8,
                    second), new CameraMetrics("yard", 0, 0, 0, 0, 0, 0)), 0, 0.1, 1000, 0, 0, 0, 0)), 0, false,
                    null));
            device.publish("edgeloop/gate-01/metrics", new MqttMessage("{\"schema\":1}".getBytes(), 0, false, null));
            // a device publishing another's metrics is rejected by the contract's topic check
            device.publish("edgeloop/gate-02/metrics", new MqttMessage(FleetTelemetry.metricsPayload("gate-01",
                    "front", T0.plusSeconds(180), first), 0, false, null));
            device.publish("edgeloop/gate-01/front/hard", new MqttMessage(HardExamples.payload("gate-01", "front",
                    1, HardExamples.jpeg(4)), 1, false, null));
            long deadline = System.currentTimeMillis() + TestMqtt.WAIT_MILLIS;
            while ((job.telemetry().orElseThrow().received() < 4 || job.summary().stored() < 1)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            device.disconnect();
            device.close();
            TelemetryIntake.Summary summary = job.telemetry().orElseThrow();
            assertEquals("4 metrics messages, 2 telemetry lines, 1 cameras without predictions, 2 rejected,"
                    + " 0 failed", summary.toString());
            assertEquals(1, job.summary().stored(), "hard examples are still collected");
        }
        Path file = dir.resolve("loop/telemetry/gate-01/front.jsonl");
        assertEquals(2, Files.readAllLines(file).size());
        TelemetryReader.Result read = TelemetryReader.read(dir.resolve("loop/telemetry"));
        assertEquals(List.of(new TelemetryLine(T0.plusSeconds(60), "gate-01", "front", first),
                new TelemetryLine(T0.plusSeconds(120), "gate-01", "front", second)), read.lines());
        assertTrue(Files.notExists(dir.resolve("loop/telemetry/gate-01/yard.jsonl")));
    }
}

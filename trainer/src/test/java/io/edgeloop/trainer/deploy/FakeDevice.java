package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.signing.VerificationException;
import io.edgeloop.protocol.testing.TestMqtt;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * A stand-in device for deploy tests: announces itself online (retained), takes deploy commands from its own and the
 * fleet topic, verifies the inline model against its trust store like the agent does, and publishes the deploy
 * states received → verifying → active, or rejected with the verification failure as the reason.
 */
final class FakeDevice implements AutoCloseable {

    private final String id;
    private final MqttClient client;
    private final TrustStore trust;
    private final Topics topics = Topics.DEFAULT;
    final List<DeployCommand> commands = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final List<String> groups;
    private volatile ModelRef running;
    private volatile Instant applied;
    private volatile boolean rollsBack;

    FakeDevice(String brokerUri, String id, TrustStore trust) throws MqttException {
        this(brokerUri, id, trust, List.of());
    }

    /** A device in {@code groups} (published in its status, as the agent does from its config). */
    FakeDevice(String brokerUri, String id, TrustStore trust, List<String> groups) throws MqttException {
        this.id = id;
        this.groups = List.copyOf(groups);
        this.trust = trust;
        this.client = TestMqtt.client(brokerUri, "device-" + id);
        client.setCallback(TestMqtt.onMessage((topic, message) -> {
            if (message.getPayload().length > 0) {
                handle(topic, message.getPayload());
            }
        }));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        // Like the agent: a retained offline will, a retained online birth, and offline again when closing.
        options.setWill(topics.status(id), new MqttMessage(status(DeviceState.OFFLINE), 1, true, null));
        client.connect(options);
        client.publish(topics.status(id), new MqttMessage(status(DeviceState.ONLINE), 1, true, null));
    }

    private byte[] status(DeviceState state) {
        Instant now = Instant.now();
        return Payloads.encode(new DeviceStatus(1, id, state, now, now, "0.1.0", running, List.of("front"),
                groups));
    }

    /** Like an agent whose new model fails on live frames: active, then rolled-back a moment later. */
    FakeDevice rollsBack() {
        this.rollsBack = true;
        return this;
    }

    /** Starts taking commands (after the test has published, to exercise retained delivery, or before). */
    FakeDevice listen() throws MqttException {
        client.subscribe(new MqttSubscription[] {new MqttSubscription(topics.deploy(id), 1),
            new MqttSubscription(topics.fleetDeploy(), 1)});
        return this;
    }

    /** How many of 10 shadow frames agree when a shadow command arrives (default 10). */
    volatile int shadowAgreed = 10;

    private void handle(String topic, byte[] payload) {
        // Runs on Paho's callback thread: publishing from here with MqttClient would deadlock, so hand over.
        Thread worker = new Thread(() -> {
            try {
                DeployCommand command = Payloads.decode(topic, payload, DeployCommand.class);
                if (applied != null && !command.issuedAt().isAfter(applied)) {
                    return; // like the agent: only a command issued after the applied one counts
                }
                applied = command.issuedAt();
                commands.add(command);
                ModelRef model = new ModelRef(command.name(), command.version(), command.sha256());
                status(model, DeployState.RECEIVED, null);
                status(model, DeployState.VERIFYING, null);
                try {
                    trust.verify(Base64.getDecoder().decode(command.inline()), ModelSignature.of(command));
                } catch (VerificationException e) {
                    status(model, DeployState.REJECTED, e.getMessage());
                    return;
                }
                if (command.end() != null) {
                    status(model, command.end() == ShadowEnd.PROMOTE ? DeployState.ACTIVE
                            : DeployState.SHADOW_DROPPED, "end: " + command.end(), null);
                    return;
                }
                status(model, DeployState.SMOKE_TESTING, null);
                if (command.shadow() != null) {
                    // like the agent: a report while shadowing, then promoted or dropped by the rule
                    ShadowReport report = new ShadowReport(10, 0, shadowAgreed / 10.0,
                            Map.of("shirt", new ShadowReport.ClassAgreement(10, shadowAgreed / 10.0)),
                            List.of("shirt", "boot"), List.of(List.of((long) shadowAgreed, 10L - shadowAgreed),
                            List.of(0L, 0L)));
                    status(model, DeployState.SHADOWING, null, report);
                    if (report.agreement() >= command.shadow().minAgreement()) {
                        running = model;
                        client.publish(topics.status(id), new MqttMessage(status(DeviceState.ONLINE), 1, true,
                                null));
                        status(model, DeployState.ACTIVE, "promoted from shadow", report);
                    } else {
                        status(model, DeployState.SHADOW_DROPPED, "agreement below the rule", report);
                    }
                    return;
                }
                ModelRef before = running;
                running = model;
                client.publish(topics.status(id), new MqttMessage(status(DeviceState.ONLINE), 1, true, null));
                status(model, DeployState.ACTIVE, null);
                if (rollsBack) {
                    Thread.sleep(200);
                    running = before;
                    client.publish(topics.status(id), new MqttMessage(status(DeviceState.ONLINE), 1, true, null));
                    status(model, DeployState.ROLLED_BACK, "model failed inference on 9 of 10 frames after"
                            + " activation; restored the previous model");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        workers.add(worker);
        worker.start();
    }

    private void status(ModelRef model, DeployState state, String reason) throws MqttException {
        status(model, state, reason, null);
    }

    private void status(ModelRef model, DeployState state, String reason, ShadowReport report)
            throws MqttException {
        DeployStatus s = new DeployStatus(1, id, model, state, reason, Instant.now(), report);
        client.publish(topics.deployStatus(id), new MqttMessage(Payloads.encode(s), 1, true, null));
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        for (Thread worker : workers) {
            worker.join(TestMqtt.WAIT_MILLIS); // a deploy still being answered finishes before the device goes away
        }
        if (client.isConnected()) {
            client.publish(topics.status(id), new MqttMessage(status(DeviceState.OFFLINE), 1, true, null));
            client.disconnect();
        }
        client.close();
    }
}

package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.SigningKeys;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.TestMqtt;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent against a real mosquitto, deploying signed models while a camera replays red frames: a good model goes
 * received → verifying → smoke-testing → active and the next events carry it; a tampered file, an untrusted key and
 * an invalid card are rejected with their reason while the active model keeps serving; an older command is ignored;
 * a restart comes back with the deployed model.
 */
class DeployIntegrationTest {

    private static final List<String> V1_LABELS = List.of("red", "green", "blue");
    private static final List<String> V2_LABELS = List.of("rot", "gruen", "blau");
    private static final Instant T0 = Instant.parse("2026-11-28T19:00:00Z");

    @TempDir
    Path tmp;

    private AgentConfig config(String broker, Path model, Path trusted) throws Exception {
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("red.png"), Color.RED, "png");
        String yaml = """
                deviceId: dev1
                stateDir: %s
                model:
                  path: %s
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: %s
                      fps: 20
                      loop: true
                mqtt:
                  broker: %s
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 500
                  connectTimeoutSeconds: 3
                deploy:
                  trustedKeys: %s
                  maxModelBytes: 1048576
                  allowUrlSchemes: [file]
                shutdownTimeoutSeconds: 8
                """.formatted(tmp.resolve("state"), model, frames, broker, trusted);
        return new ConfigLoader().parse(yaml, "test.yaml");
    }

    @Test
    void deploysVerifiesSwapsRejectsAndSurvivesRestart() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        KeyPair stranger = DeployFixtures.keys(8);
        Path trusted = tmp.resolve("trusted");
        TrustStore.add(trusted, keys.getPublic());
        Path v1 = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1", V1_LABELS);
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "watcher", "edgeloop/dev1/#")) {
            MqttClient publisher = TestMqtt.client(broker.uri(), "deployer");
            publisher.connect();
            try {
            AgentConfig config = config(broker.uri(), v1, trusted);
            Agent agent = Agent.create(config, Map.of(), new Random(3));
            try {
                agent.start();
                assertEquals("red", awaitEvent(sub, e -> true).label());

                // a good model, inline on the device topic
                Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2", V2_LABELS);
                DeployCommand good = DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(10), null);
                long published = System.nanoTime();
                publish(publisher, Topics.DEFAULT.deploy("dev1"), good);
                List<DeployStatus> states = awaitFinal(sub, "2");
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.SMOKE_TESTING,
                        DeployState.ACTIVE), states.stream().map(DeployStatus::state).toList());
                assertEquals(good.sha256(), states.get(3).model().sha256());
                // once an event carries the new model, no later event carries the old one
                ClassificationEvent swapped = awaitEvent(sub, e -> e.model().version().equals("2"));
                assertEquals("rot", swapped.label());
                System.out.printf("deploy figures: received→active %d ms on the device; publish→first event of"
                        + " the new model %d ms%n", Duration.between(states.get(0).at(), states.get(3).at()).toMillis(),
                        (System.nanoTime() - published) / 1_000_000);
                assertEquals(good.sha256(), swapped.model().sha256());
                for (int i = 0; i < 5; i++) {
                    ClassificationEvent next = awaitEvent(sub, e -> true);
                    assertEquals("2", next.model().version());
                    assertEquals("rot", next.label());
                }
                DeviceStatus birth = awaitStatus(sub, s -> s.model().version().equals("2"));
                assertEquals(good.sha256(), birth.model().sha256());
                assertEquals("2", agent.model().version());
                Path state = tmp.resolve("state");
                assertTrue(Files.isRegularFile(state.resolve("models/colour/2/model.onnx")));
                ActiveModel pointer = ActiveModel.read(state).orElseThrow();
                assertEquals("2", pointer.version());
                assertEquals(T0.plusSeconds(10), pointer.issuedAt());
                assertEquals("models/colour/2/model.onnx", pointer.file());
                assertEquals("1", pointer.previous().version());
                assertEquals(v1.toAbsolutePath().toString(), pointer.previous().file());

                // a file changed after signing (by URL): rejected, version 2 keeps serving
                Path v3 = DeployFixtures.colourPackage(tmp.resolve("release/colour-3.onnx"), "3", V1_LABELS);
                DeployCommand tampered = DeployFixtures.command(v3, "colour", "3", keys, T0.plusSeconds(20),
                        v3.toUri().toString());
                byte[] bytes = Files.readAllBytes(v3);
                bytes[bytes.length - 1] ^= 1;
                Files.write(v3, bytes);
                publish(publisher, Topics.DEFAULT.deploy("dev1"), tampered);
                DeployStatus rejected = last(awaitFinal(sub, "3"));
                assertEquals(DeployState.REJECTED, rejected.state());
                assertTrue(rejected.reason().matches("sha256 is [0-9a-f]{64}, expected " + tampered.sha256()
                        + " \\(file changed after signing\\)"), rejected.reason());
                assertEquals("2", awaitEvent(sub, e -> true).model().version());
                assertTrue(Files.notExists(state.resolve("models/colour/3")));

                // signed by a key the device does not trust
                Path v4 = DeployFixtures.colourPackage(tmp.resolve("release/colour-4.onnx"), "4", V1_LABELS);
                DeployCommand untrusted = DeployFixtures.command(v4, "colour", "4", stranger, T0.plusSeconds(30),
                        null);
                publish(publisher, Topics.DEFAULT.deploy("dev1"), untrusted);
                rejected = last(awaitFinal(sub, "4"));
                assertEquals(DeployState.REJECTED, rejected.state());
                assertEquals("key id " + SigningKeys.keyId(stranger.getPublic()) + " is not trusted; trusted: ["
                        + SigningKeys.keyId(keys.getPublic()) + "]", rejected.reason());

                // a correctly signed model whose card does not fit its graph, on the fleet topic
                Path v5 = DeployFixtures.badCardPackage(tmp.resolve("release/colour-5.onnx"), "5",
                        List.of("red", "green", "blue", "white"));
                DeployCommand badCard = DeployFixtures.command(v5, "colour", "5", keys, T0.plusSeconds(40), null);
                publish(publisher, Topics.DEFAULT.fleetDeploy(), badCard);
                List<DeployStatus> badStates = awaitFinal(sub, "5");
                rejected = last(badStates);
                assertEquals(DeployState.REJECTED, rejected.state());
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.REJECTED),
                        badStates.stream().map(DeployStatus::state).toList());
                assertEquals("invalid model package colour 5: model card does not match the graph: labels has 4"
                        + " entries, allowed 3 to match graph output \"logits\" [1, 3]", rejected.reason());
                assertTrue(Files.notExists(state.resolve("models/colour/5")));
                try (var incoming = Files.list(state.resolve("models/.incoming"))) {
                    assertEquals(0, incoming.count());
                }
                assertEquals("2", awaitEvent(sub, e -> true).model().version());

                // a command older than the applied one: ignored without a status
                Path v6 = DeployFixtures.colourPackage(tmp.resolve("release/colour-6.onnx"), "6", V1_LABELS);
                DeployCommand older = DeployFixtures.command(v6, "colour", "6", keys, T0, null);
                publish(publisher, Topics.DEFAULT.deploy("dev1"), older);
                List<Subscriber.Received> statuses = sub.await("/deploy/status", 1, 1500);
                assertEquals(List.of(), statuses);
                assertEquals("2", agent.model().version());
            } finally {
                agent.close();
            }

            // restart: the deployed model, not model.path; the retained older command is still ignored
            Agent again = Agent.create(config, Map.of(), new Random(4));
            try {
                again.start();
                assertEquals("2", again.model().version());
                ClassificationEvent e = awaitEvent(sub, x -> true);
                assertEquals("2", e.model().version());
                assertEquals("rot", e.label());
                assertNotNull(awaitStatus(sub, s -> s.model().version().equals("2")));
            } finally {
                again.close();
            }
            // --model on the command line wins over the deployed one
            Agent overridden = Agent.create(config, Map.of(), new Random(5), true);
            try {
                assertEquals("1", overridden.model().version());
            } finally {
                overridden.close();
            }
            } finally {
                publisher.disconnect();
                publisher.close();
            }
        }
    }

    /** Fails on green frames: by an out-of-range Gather in ONNX Runtime, or by returning NaN scores. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void modelFailingAfterActivationIsRolledBack(boolean nanScores) throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        Path trusted = tmp.resolve("trusted");
        TrustStore.add(trusted, keys.getPublic());
        Path v1 = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1", V1_LABELS);
        Path inbox = tmp.resolve("inbox");
        Images.write(inbox.resolve("000-red.png"), Color.RED, "png");
        String yaml = """
                deviceId: dev1
                stateDir: %s
                model:
                  path: %s
                cameras:
                  - id: cam1
                    source:
                      type: folder
                      path: %s
                      after: delete
                      pollMillis: 20
                mqtt:
                  broker: %s
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 500
                  connectTimeoutSeconds: 3
                deploy:
                  trustedKeys: %s
                  healthCheckFrames: 3
                  healthCheckSeconds: 20
                shutdownTimeoutSeconds: 8
                """;
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "watcher", "edgeloop/dev1/#")) {
            AgentConfig config = new ConfigLoader().parse(yaml.formatted(tmp.resolve("state"), v1, inbox,
                    broker.uri(), trusted), "test.yaml");
            MqttClient publisher = TestMqtt.client(broker.uri(), "deployer");
            publisher.connect();
            Agent agent = Agent.create(config, Map.of(), new Random(3));
            try {
                agent.start();
                assertEquals("red", awaitEvent(sub, e -> true).label());
                // passes the smoke test (zeros, the last red frame), fails on the green frames that follow
                Path release = tmp.resolve("release/colour-7.onnx");
                Path v7 = nanScores ? DeployFixtures.greenNanPackage(release, "7", V2_LABELS)
                        : DeployFixtures.greenFailsPackage(release, "7", V2_LABELS);
                DeployCommand risky = DeployFixtures.command(v7, "colour", "7", keys, T0.plusSeconds(70), null);
                publish(publisher, Topics.DEFAULT.deploy("dev1"), risky);
                List<DeployStatus> states = new ArrayList<>(awaitFinal(sub, "7"));
                assertEquals(DeployState.ACTIVE, last(states).state());
                for (int i = 1; i <= 4; i++) {
                    Images.write(inbox.resolve(String.format("%03d-green.png", i)), Color.GREEN, "png");
                    Thread.sleep(100);
                }
                DeployStatus rolledBack = last(awaitFinal(sub, "7"));
                assertEquals(DeployState.ROLLED_BACK, rolledBack.state());
                assertTrue(rolledBack.reason().matches("model failed inference on [34] of [34] frames after"
                        + " activation; restored colour 1"), rolledBack.reason());
                assertEquals("1", agent.model().version());
                ActiveModel pointer = ActiveModel.read(tmp.resolve("state")).orElseThrow();
                assertEquals("1", pointer.version());
                assertEquals(T0.plusSeconds(70), pointer.issuedAt());
                assertEquals("7", pointer.previous().version());
                assertTrue(Files.isRegularFile(tmp.resolve("state/models/colour/7/model.onnx")));
                // the restored model serves the next frame
                Images.write(inbox.resolve("100-green.png"), Color.GREEN, "png");
                ClassificationEvent after = awaitEvent(sub, e -> e.model().version().equals("1"));
                assertEquals("green", after.label());
            } finally {
                agent.close();
                publisher.disconnect();
                publisher.close();
            }
        }
    }

    private static void publish(MqttClient client, String topic, DeployCommand command) throws Exception {
        MqttMessage m = new MqttMessage(Payloads.encode(command));
        m.setQos(1);
        m.setRetained(true);
        client.publish(topic, m);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /** Deploy statuses for {@code version} until a final one (active, rejected, rolled-back). */
    private static List<DeployStatus> awaitFinal(Subscriber sub, String version) throws Exception {
        List<DeployStatus> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await("/deploy/status", 1, 500)) {
                DeployStatus s = Payloads.decode(r.topic(), r.payload(), DeployStatus.class);
                if (s.model().version().equals(version)) {
                    out.add(s);
                    if (s.state() == DeployState.ACTIVE || s.state().isFailure()) {
                        return out;
                    }
                }
            }
        }
        throw new AssertionError("no final deploy status for version " + version + " within 20 s: " + out);
    }

    private static ClassificationEvent awaitEvent(Subscriber sub, Predicate<ClassificationEvent> wanted)
            throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await("/events", 1, 500)) {
                ClassificationEvent e = Payloads.decode(r.topic(), r.payload(), ClassificationEvent.class);
                if (wanted.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no matching event within 15 s");
    }

    private static DeviceStatus awaitStatus(Subscriber sub, Predicate<DeviceStatus> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await("dev1/status", 1, 500)) {
                DeviceStatus s = Payloads.decode(r.topic(), r.payload(), DeviceStatus.class);
                if (wanted.test(s)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no matching device status within 15 s");
    }

}

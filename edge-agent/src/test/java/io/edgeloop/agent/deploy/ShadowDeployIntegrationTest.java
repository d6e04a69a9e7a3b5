package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import java.awt.Color;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow deploys on a real agent (ONNX Runtime, mosquitto) replaying red frames with version 1 of the colour
 * classifier: a candidate whose card scrambles its labels (so it calls red frames "green") is dropped with its
 * agreement and stays off the device, its disagreements arrive as hard examples; a candidate with other labels is
 * rejected; an abort ends a shadow early; a candidate equal to the active model is promoted through the switch.
 * Events from version 1 keep coming while each shadow runs.
 */
class ShadowDeployIntegrationTest {

    private static final List<String> LABELS = List.of("red", "green", "blue");
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

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
                      fps: 40
                      loop: true
                hardExamples:
                  enabled: true
                  perMinute: 100
                  selectors:
                    disagreement: {}
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
    void dropsAWorseCandidateRejectsOtherLabelsAbortsAndPromotesAnEqualOne() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        Path trusted = tmp.resolve("trusted");
        TrustStore.add(trusted, keys.getPublic());
        Path v1 = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1", LABELS);
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "watcher", "edgeloop/dev1/#")) {
            MqttClient publisher = TestMqtt.client(broker.uri(), "deployer");
            publisher.connect();
            Agent agent = Agent.create(config(broker.uri(), v1, trusted), Map.of(), new Random(3));
            try {
                agent.start();
                assertEquals("red", awaitEvent(sub).label());

                // worse: the same graph, its card's labels scrambled, so every red frame is called "green"
                Path worse = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2",
                        List.of("green", "blue", "red"));
                publish(publisher, DeployFixtures.command(worse, "colour", "2", keys, T0.plusSeconds(10), null)
                        .withShadow(ShadowRequest.frames(20, 10)));
                List<DeployStatus> states = awaitFinal(sub, "2");
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.SMOKE_TESTING,
                        DeployState.SHADOWING), states.subList(0, 4).stream().map(DeployStatus::state).toList());
                DeployStatus dropped = last(states);
                assertEquals(DeployState.SHADOW_DROPPED, dropped.state());
                assertEquals("agreement 0.000 over 20 frames, below the required 0.950", dropped.reason());
                ShadowReport report = dropped.shadow();
                assertEquals(20, report.compared());
                assertEquals(LABELS, report.labels());
                assertEquals(List.of(List.of(0L, 20L, 0L), List.of(0L, 0L, 0L), List.of(0L, 0L, 0L)),
                        report.confusion());
                assertEquals(new ShadowReport.ClassAgreement(20, 0), report.perClass().get("red"));
                // the active path kept publishing, and the candidate stays off the device
                assertEquals("1", awaitEvent(sub).model().version());
                assertEquals("1", agent.model().version());
                assertEquals("1", ActiveModel.read(tmp.resolve("state")).orElseThrow().version());
                HardExample hard = awaitHard(sub);
                assertEquals(HardExampleReason.DISAGREEMENT, hard.reason());
                assertEquals("1", hard.model().version());

                // other labels: rejected before it runs
                Path other = DeployFixtures.colourPackage(tmp.resolve("release/colour-3.onnx"), "3",
                        List.of("rot", "gruen", "blau"));
                publish(publisher, DeployFixtures.command(other, "colour", "3", keys, T0.plusSeconds(20), null)
                        .withShadow(ShadowRequest.frames(20, 10)));
                DeployStatus rejected = last(awaitFinal(sub, "3"));
                assertEquals(DeployState.REJECTED, rejected.state());
                assertEquals("shadow candidate colour 3 has labels [rot, gruen, blau], the active model colour 1 has"
                        + " [red, green, blue]; a shadow compares top-1 labels, so it needs the same labels (in any"
                        + " order)", rejected.reason());

                // an abort ends a ten-minute shadow at once
                Path equal4 = DeployFixtures.colourPackage(tmp.resolve("release/colour-4.onnx"), "4", LABELS);
                DeployCommand shadow4 = DeployFixtures.command(equal4, "colour", "4", keys, T0.plusSeconds(30), null)
                        .withShadow(new ShadowRequest(0.5, 600, null, null, 10, 1));
                publish(publisher, shadow4);
                DeployStatus interim = awaitState(sub, "4", DeployState.SHADOWING, s -> s.shadow().compared() > 0);
                assertEquals(1.0, interim.shadow().agreement());
                publish(publisher, shadow4.ending(ShadowEnd.ABORT, T0.plusSeconds(31)));
                DeployStatus aborted = last(awaitFinal(sub, "4"));
                assertEquals(DeployState.SHADOW_DROPPED, aborted.state());
                assertTrue(aborted.reason().matches("aborted \\(end: abort\\) after \\d+ compared frames"),
                        aborted.reason());
                assertEquals("1", awaitEvent(sub).model().version());

                // equal to the active one: promoted through the switch, the next events carry it
                Path equal5 = DeployFixtures.colourPackage(tmp.resolve("release/colour-5.onnx"), "5", LABELS);
                publish(publisher, DeployFixtures.command(equal5, "colour", "5", keys, T0.plusSeconds(40), null)
                        .withShadow(ShadowRequest.frames(20, 10)));
                DeployStatus promoted = last(awaitFinal(sub, "5"));
                assertEquals(DeployState.ACTIVE, promoted.state());
                assertEquals("promoted from shadow", promoted.reason());
                assertEquals(20, promoted.shadow().compared());
                assertEquals(1.0, promoted.shadow().agreement());
                ClassificationEvent after = awaitEvent(sub, "5");
                assertEquals("red", after.label());
                assertEquals("5", agent.model().version());
                assertEquals("5", ActiveModel.read(tmp.resolve("state")).orElseThrow().version());
            } finally {
                agent.close();
                publisher.disconnect();
                publisher.close();
            }
        }
    }

    private static void publish(MqttClient client, DeployCommand command) throws Exception {
        MqttMessage m = new MqttMessage(Payloads.encode(command));
        m.setQos(1);
        m.setRetained(true);
        client.publish(Topics.DEFAULT.deploy("dev1"), m);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /** Deploy statuses for {@code version} until a final one (active or a failure). */
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

    private static DeployStatus awaitState(Subscriber sub, String version, DeployState state,
            java.util.function.Predicate<DeployStatus> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await("/deploy/status", 1, 500)) {
                DeployStatus s = Payloads.decode(r.topic(), r.payload(), DeployStatus.class);
                if (s.model().version().equals(version) && s.state() == state && wanted.test(s)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no " + state + " status for version " + version + " within 20 s");
    }

    private static ClassificationEvent awaitEvent(Subscriber sub) throws Exception {
        return awaitEvent(sub, null);
    }

    private static ClassificationEvent awaitEvent(Subscriber sub, String version) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await("/events", 1, 500)) {
                ClassificationEvent e = Payloads.decode(r.topic(), r.payload(), ClassificationEvent.class);
                if (version == null || e.model().version().equals(version)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no matching event within 15 s");
    }

    private static HardExample awaitHard(Subscriber sub) throws Exception {
        String topic = Topics.DEFAULT.hard("dev1", "cam1");
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (Subscriber.Received r : sub.await(topic.substring(topic.indexOf("/cam1")), 1, 500)) {
                return Payloads.decode(r.topic(), r.payload(), HardExample.class);
            }
        }
        throw new AssertionError("no hard example within 15 s");
    }
}

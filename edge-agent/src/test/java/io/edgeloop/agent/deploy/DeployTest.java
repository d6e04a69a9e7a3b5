package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.agent.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.protocol.signing.SigningKeys;
import io.edgeloop.protocol.signing.TrustStore;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over-the-air deploy against a real broker: verify, smoke-test, activate without restart, reject bad ones. */
class DeployTest {

    @TempDir
    Path tmp;

    /** The colour model packaged with a card: German labels make the switch visible in the events. */
    private Path packagedModel(String version) throws Exception {
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        ModelCard card = ModelCard.builder().setName("colour").setVersion(version)
                .setCreated(Instant.parse("2026-11-28T18:00:00Z")).setLabels(List.of("rot", "gruen", "blau"))
                .setInput(new InputSpec("input", List.of(1L, 3L, 32L, 32L))).setPreprocessing(ColourModel.PREPROCESS)
                .setOutput(OutputSpec.logits("logits")).build();
        Path out = tmp.resolve("release/" + version + ".onnx");
        Files.createDirectories(out.getParent());
        ModelPackage.write(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain)), card, out);
        return out;
    }

    private static DeployCommand command(Path model, ModelSigner signer, String version, Instant issuedAt)
            throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        ModelSignature sig = signer.sign(bytes);
        return new DeployCommand(Payloads.SCHEMA, "colour", version, issuedAt, null,
                Base64.getEncoder().encodeToString(bytes), sig.sha256(), sig.sizeBytes(), sig.signature(), sig.keyId());
    }

    private static void publishRetained(String uri, String topic, byte[] payload) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(uri, "trainer-test", new MemoryPersistence());
        try {
            c.connect(new MqttConnectionOptions()).waitForCompletion(5000);
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(true);
            c.publish(topic, m).waitForCompletion(5000);
            c.disconnect().waitForCompletion(2000);
        } finally {
            c.close(true);
        }
    }

    private AgentConfig config(String broker, Path trust) throws Exception {
        return config(broker, trust, "");
    }

    private AgentConfig config(String broker, Path trust, String extra) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("model/colour.onnx"), false);
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("1.png"), Color.RED, "png");
        String yaml = """
                deviceId: dev1
                stateDir: %s
                model:
                  path: %s
                  labels: [red, green, blue]
                  version: v1
                  preprocess: {resize: exact, resizeSize: 32, cropSize: 32, mean: [0, 0, 0], std: [1, 1, 1],
                               valueScale: 0.00392156862745098, colourOrder: rgb}
                cameras:
                  - id: cam1
                    source: {type: replay, path: %s, fps: 20, loop: true}
                mqtt:
                  broker: %s
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 500
                deploy:
                  enabled: true
                  trustDir: %s
                """.formatted(tmp.resolve("state"), onnx, frames, broker, trust) + extra;
        return new ConfigLoader().parse(yaml, "deploy.yaml");
    }

    private static List<DeployState> states(List<Subscriber.Received> messages) throws Exception {
        List<DeployState> out = new ArrayList<>();
        for (Subscriber.Received r : messages) {
            out.add(Payloads.decode(r.payload(), DeployStatus.class).state());
        }
        return out;
    }

    @Test
    void aSignedModelIsVerifiedSmokeTestedAndActivatedWithoutRestart() throws Exception {
        var keys = SigningKeys.generate();
        ModelSigner signer = new ModelSigner(keys.getPrivate());
        Path trust = tmp.resolve("trust");
        TrustStore.add(trust, keys.getPublic());
        Path v2 = packagedModel("v2");
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "ops", "edgeloop/dev1/deploy/status",
                        "edgeloop/dev1/cam1/events")) {
            Agent agent = Agent.create(config(broker.uri(), trust), Map.of(), new Random(1));
            try {
                agent.start();
                var before = sub.await("/events", 1, 10_000);
                assertEquals("red", Payloads.decode(before.get(0).payload(), ClassificationEvent.class).label());
                publishRetained(broker.uri(), Topics.DEFAULT.deploy("dev1"),
                        Payloads.encode(command(v2, signer, "v2", Instant.parse("2026-11-28T19:00:00Z"))));
                var statuses = sub.await("/deploy/status", 4, 20_000);
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.SMOKE_TESTING,
                        DeployState.ACTIVE), states(statuses));
                assertEquals("v2", agent.model().version());
                // events now come from the new model, with its labels, and seq keeps counting
                ClassificationEvent after = null;
                long deadline = System.currentTimeMillis() + 10_000;
                while (System.currentTimeMillis() < deadline) {
                    var e = sub.await("/events", 1, 2_000);
                    if (e.isEmpty()) {
                        continue;
                    }
                    after = Payloads.decode(e.get(0).payload(), ClassificationEvent.class);
                    if (after.model().version().equals("v2")) {
                        break;
                    }
                }
                assertEquals("v2", after.model().version());
                assertEquals("rot", after.label());
                assertTrue(after.seq() > 0);

                // a newer command signed by a key the device does not trust is rejected; v2 keeps serving
                ModelSigner stranger = new ModelSigner(SigningKeys.generate().getPrivate());
                publishRetained(broker.uri(), Topics.DEFAULT.fleetDeploy(),
                        Payloads.encode(command(packagedModel("v3"), stranger, "v3",
                                Instant.parse("2026-11-28T19:05:00Z"))));
                var rejected = sub.await("/deploy/status", 3, 20_000);
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.REJECTED),
                        states(rejected));
                DeployStatus reason = Payloads.decode(rejected.get(2).payload(), DeployStatus.class);
                assertTrue(reason.reason().contains(stranger.keyId()), reason.reason());
                assertEquals("v2", agent.model().version());
            } finally {
                agent.close();
            }
            // a restart keeps the deployed model and ignores the retained commands it already handled
            Agent again = Agent.create(config(broker.uri(), trust), Map.of(), new Random(2));
            try {
                assertEquals("v2", again.model().version());
            } finally {
                again.close();
            }
        }
    }

    @Test
    void tamperedOrUnfittingModelsAreRejectedAndTheOldOneKeepsServing() throws Exception {
        var keys = SigningKeys.generate();
        ModelSigner signer = new ModelSigner(keys.getPrivate());
        Path trust = tmp.resolve("trust");
        TrustStore.add(trust, keys.getPublic());
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "ops2", "edgeloop/dev1/deploy/status")) {
            Agent agent = Agent.create(config(broker.uri(), trust, "inference:\n  classThresholds: {red: 0.9}\n"),
                    Map.of(), new Random(1));
            try {
                agent.start();
                // 1. served from a URL and changed after signing: the hash check catches it
                Path v2 = packagedModel("v2");
                DeployCommand signed = command(v2, signer, "v2", Instant.parse("2026-11-28T19:00:00Z"));
                Path served = tmp.resolve("served.onnx");
                byte[] bytes = Files.readAllBytes(v2);
                bytes[bytes.length - 1] ^= 1;
                Files.write(served, bytes);
                DeployCommand byUrl = new DeployCommand(Payloads.SCHEMA, "colour", "v2", signed.issuedAt(),
                        served.toUri().toString(), null, signed.sha256(), signed.sizeBytes(), signed.signature(),
                        signed.keyId());
                publishRetained(broker.uri(), Topics.DEFAULT.deploy("dev1"), Payloads.encode(byUrl));
                var first = sub.await("/deploy/status", 3, 20_000);
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.REJECTED),
                        states(first));
                String reason = Payloads.decode(first.get(2).payload(), DeployStatus.class).reason();
                assertTrue(reason.contains("sha256"), reason);

                // 2. genuine, but the config's per-class threshold names a class the new model does not have
                publishRetained(broker.uri(), Topics.DEFAULT.deploy("dev1"), Payloads.encode(command(v2, signer, "v2",
                        Instant.parse("2026-11-28T19:01:00Z"))));
                var second = sub.await("/deploy/status", 4, 20_000);
                assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.SMOKE_TESTING,
                        DeployState.REJECTED), states(second));
                assertEquals("smoke test failed: inference.classThresholds names the class 'red', allowed the model's "
                        + "labels [rot, gruen, blau]", Payloads.decode(second.get(3).payload(), DeployStatus.class)
                        .reason());
                assertEquals("v1", agent.model().version());
            } finally {
                agent.close();
            }
        }
    }
}

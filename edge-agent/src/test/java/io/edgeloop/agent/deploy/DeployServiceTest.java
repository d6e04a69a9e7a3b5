package io.edgeloop.agent.deploy;

import io.edgeloop.protocol.digest.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.DeployConfig;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.agent.testing.ColourModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy sequence without a broker: a fake host records statuses and activations. */
class DeployServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-28T19:00:00Z");

    @TempDir
    Path tmp;

    private final List<DeployStatus> statuses = new ArrayList<>();
    private final List<ModelRuntime> activated = new ArrayList<>();
    private ModelSpec running;

    @AfterEach
    void closeActivated() throws Exception {
        for (ModelRuntime r : activated) {
            r.close();
        }
    }

    private DeployService service(Consumer<ModelSpec> specCheck) throws Exception {
        Path given = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1",
                List.of("red", "green", "blue"));
        running = new ModelSpec(given, "colour", "1", Sha256.hex(
                Files.readAllBytes(given)), ColourModel.LABELS, ColourModel.PREPROCESS, "input", "logits",
                OutputKind.LOGITS, 1.0);
        DeployService.Host host = new DeployService.Host() {
            @Override
            public ModelSpec running() {
                return running;
            }

            @Override
            public List<Frame> recentFrames() {
                return List.of();
            }

            @Override
            public void activate(ModelRuntime runtime) {
                activated.add(runtime);
                running = runtime.spec();
            }

            @Override
            public void publish(SpooledMessage message) {
                try {
                    statuses.add(Payloads.decode(message.topic(), message.payload(), DeployStatus.class));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public DeployService.FrameCounts counts() {
                return new DeployService.FrameCounts(0, 0);
            }
        };
        return DeployService.create(new DeployService.Settings("dev1", Topics.DEFAULT, tmp.resolve("state"),
                new DeployConfig(tmp.resolve("trusted").toString(), null, null, 0, null),
                new SessionSettings(1, Optimization.ALL, false),
                specCheck), host);
    }

    private static byte[] payload(DeployCommand c) {
        return Payloads.encode(c);
    }

    @Test
    void unfittingModelIsRejectedAndAlreadyRunningModelConfirmed() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        TrustStore.add(tmp.resolve("trusted"), keys.getPublic());
        // the agent's config has a threshold for 'red'; a model without that label does not fit
        DeployService service = service(spec -> new Postprocessor(spec.labels(), spec.outputKind(),
                spec.temperature(), 1, 0.5, Map.of("red", 0.9)));
        Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2",
                List.of("rot", "gruen", "blau"));
        DeployCommand unfitting = DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(1), null);
        service.handle(Topics.DEFAULT.deploy("dev1"), payload(unfitting));
        DeployStatus last = statuses.get(statuses.size() - 1);
        assertEquals(DeployState.REJECTED, last.state());
        assertEquals("model does not fit the agent's config: inference.classThresholds names the class 'red',"
                + " allowed the model's labels [rot, gruen, blau]", last.reason());
        assertEquals(List.of(), activated);
        // the same command redelivered (reconnect) is not handled twice
        int before = statuses.size();
        service.handle(Topics.DEFAULT.deploy("dev1"), payload(unfitting));
        assertEquals(before, statuses.size());

        // a command for the model already serving: confirmed, recorded, nothing loaded
        Path given = tmp.resolve("given/colour-1.onnx");
        DeployCommand same = DeployFixtures.command(given, "colour", "1", keys, T0.plusSeconds(2), null);
        service.handle(Topics.DEFAULT.fleetDeploy(), payload(same));
        last = statuses.get(statuses.size() - 1);
        assertEquals(DeployState.ACTIVE, last.state());
        assertEquals("already running", last.reason());
        assertEquals(T0.plusSeconds(2), ActiveModel.read(tmp.resolve("state")).orElseThrow().issuedAt());
        assertEquals(List.of(), activated);
        service.close();
    }

    @Test
    void aSignedButOlderModelIsRefusedUnlessTheCommandIsAnExplicitRollback() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        TrustStore.add(tmp.resolve("trusted"), keys.getPublic());
        DeployService service = service(spec -> { });
        // the running colour 1 was made 2026-11-28T18:00:00Z; version 2 is newer
        Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2", ColourModel.LABELS,
                Instant.parse("2026-12-01T00:00:00Z"));
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(1), null)));
        assertEquals(DeployState.ACTIVE, statuses.get(statuses.size() - 1).state());
        // an old build, correctly signed with the trusted key, under a fresh command (as anyone who may publish
        // deploy commands could replay it): refused, and nothing of it stays on the device
        Path old = DeployFixtures.colourPackage(tmp.resolve("release/colour-0.onnx"), "0", ColourModel.LABELS,
                Instant.parse("2026-11-01T00:00:00Z"));
        DeployCommand downgrade = DeployFixtures.command(old, "colour", "0", keys, T0.plusSeconds(2), null);
        service.handle(Topics.DEFAULT.fleetDeploy(), payload(downgrade));
        DeployStatus last = statuses.get(statuses.size() - 1);
        assertEquals(DeployState.REJECTED, last.state());
        assertEquals("model colour 0 was made 2026-11-01T00:00:00Z, before the running colour 2 (made"
                + " 2026-12-01T00:00:00Z): refused as a downgrade; to go back on purpose, send it as a rollback"
                + " (trainer deploy --rollback)", last.reason());
        assertEquals("2", running.version());
        assertTrue(Files.notExists(tmp.resolve("state/models/colour/0")));
        // the same model as an explicit rollback: accepted
        DeployCommand rollback = DeployFixtures.command(old, "colour", "0", keys, T0.plusSeconds(3), null)
                .asRollback();
        assertTrue(new String(payload(rollback), StandardCharsets.UTF_8).endsWith(",\"rollback\":true}"));
        service.handle(Topics.DEFAULT.fleetDeploy(), payload(rollback));
        assertEquals(DeployState.ACTIVE, statuses.get(statuses.size() - 1).state());
        assertEquals("0", running.version());
        service.close();
    }

    @Test
    void malformedCommandIsIgnoredAndNewerOneApplied() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        TrustStore.add(tmp.resolve("trusted"), keys.getPublic());
        DeployService service = service(spec -> { });
        service.handle(Topics.DEFAULT.deploy("dev1"), "{\"schema\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), statuses);
        Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2",
                List.of("rot", "gruen", "blau"));
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(5), null)));
        assertEquals(List.of(DeployState.RECEIVED, DeployState.VERIFYING, DeployState.SMOKE_TESTING,
                DeployState.ACTIVE), statuses.stream().map(DeployStatus::state).toList());
        assertEquals(1, activated.size());
        assertEquals("2", running.version());
        ActiveModel pointer = ActiveModel.read(tmp.resolve("state")).orElseThrow();
        assertEquals("models/colour/2/model.onnx", pointer.file());
        assertNull(pointer.previous().issuedAt());
        // an older command after that: ignored without a status
        Path v3 = DeployFixtures.colourPackage(tmp.resolve("release/colour-3.onnx"), "3",
                List.of("red", "green", "blue"));
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v3, "colour", "3", keys, T0.plusSeconds(4), null)));
        assertEquals(4, statuses.size());
        service.close();
    }

    @Test
    void withoutTrustedKeysTheAgentRunsAndRejectsDeploysUntilAKeyIsPutThere() throws Exception {
        KeyPair keys = DeployFixtures.keys(7);
        Path trusted = tmp.resolve("trusted");
        DeployService service = service(spec -> { }); // the trust store does not exist: not an error
        Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2",
                List.of("rot", "gruen", "blau"));
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(1), null)));
        DeployStatus last = statuses.get(statuses.size() - 1);
        assertEquals(DeployState.REJECTED, last.state());
        assertEquals("no trusted keys: deploy.trustedKeys " + trusted + " does not exist; put the public key from "
                + "'trainer keys generate' (NAME.pub.pem) there", last.reason());
        Files.createDirectories(trusted);
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(2), null)));
        assertEquals("no trusted keys: deploy.trustedKeys " + trusted + " holds no public key (*.pem); put the "
                + "public key from 'trainer keys generate' (NAME.pub.pem) there",
                statuses.get(statuses.size() - 1).reason());
        // the directory is read for every command: the key counts without a restart
        TrustStore.add(trusted, keys.getPublic());
        service.handle(Topics.DEFAULT.deploy("dev1"),
                payload(DeployFixtures.command(v2, "colour", "2", keys, T0.plusSeconds(3), null)));
        assertEquals(DeployState.ACTIVE, statuses.get(statuses.size() - 1).state());
        assertEquals(1, activated.size());
        service.close();
    }

    @Test
    void aTrustStoreWithSomethingElseThanAPublicKeyIsAConfigError() throws Exception {
        Path bad = Files.writeString(Files.createDirectories(tmp.resolve("trusted")).resolve("deploy.pem"), "junk");
        ConfigException e = assertThrows(ConfigException.class, () -> service(spec -> { }));
        assertTrue(e.getMessage().startsWith("deploy.trustedKeys: " + bad + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (allowed only Ed25519 public keys, *.pem, such as the .pub.pem from "
                + "'trainer keys')"), e.getMessage());
    }
}

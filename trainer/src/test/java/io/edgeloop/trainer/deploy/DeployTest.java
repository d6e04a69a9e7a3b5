package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.trainer.cli.DeployModelCommand;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.TinyClassifierOnnx;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.protocol.signing.ModelVerifier;
import io.edgeloop.protocol.signing.SigningKeys;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.signing.VerificationException;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.cli.TrainerMain;
import io.edgeloop.trainer.job.DeployJob;
import io.edgeloop.trainer.job.DeployRequest;
import io.edgeloop.trainer.job.DeployResult;
import io.edgeloop.trainer.job.TrainerServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployTest {

    /** One real broker for the class (mosquitto, as on a deployment workstation); ids are per test. */
    private static Mosquitto broker;

    @TempDir
    static Path brokerDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int deploy(String... args) {
        return CommandLines.execute(new DeployModelCommand(), new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void commandIsValidSignedAndTamperingIsDetected() throws Exception {
        ModelPackage model = TestModels.write(dir.resolve("model.onnx"), "2026.11.28-1");
        KeyPair keys = TestModels.keys(1);
        Instant issued = Instant.parse("2026-11-28T19:00:00.123456Z");
        DeployCommand command = SignedDeployment.create(model.file(), new ModelSigner(keys.getPrivate()), null,
                issued);
        // What is published decodes as a valid command.
        DeployCommand decoded = Payloads.decode(Payloads.encode(command), DeployCommand.class);
        assertEquals(command, decoded);
        assertEquals("fashion", decoded.name());
        assertEquals("2026.11.28-1", decoded.version());
        assertEquals(Instant.parse("2026-11-28T19:00:00.123Z"), decoded.issuedAt());
        assertEquals(model.sha256(), decoded.sha256());
        assertEquals(SigningKeys.keyId(keys.getPublic()), decoded.keyId());
        byte[] inline = Base64.getDecoder().decode(decoded.inline());
        assertArrayEquals(Files.readAllBytes(model.file()), inline);
        assertNull(decoded.url());

        ModelVerifier.verify(inline, ModelSignature.of(decoded), keys.getPublic());
        TrustStore.of(List.of(keys.getPublic())).verify(model.file(), ModelSignature.of(decoded));

        byte[] tampered = inline.clone();
        tampered[tampered.length / 2] ^= 0x10;
        assertEquals(VerificationException.Failure.HASH_MISMATCH, assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(tampered, ModelSignature.of(decoded), keys.getPublic())).failure());
        // A tampered file shipped with its own hash still fails: the signature covers the bytes.
        ModelSignature rehashed = new ModelSignature(Sha256.hex(tampered),
                tampered.length, decoded.signature(), decoded.keyId());
        assertEquals(VerificationException.Failure.BAD_SIGNATURE, assertThrows(VerificationException.class,
                () -> ModelVerifier.verify(tampered, rehashed, keys.getPublic())).failure());

        DeployCommand byUrl = SignedDeployment.create(model.file(), new ModelSigner(keys.getPrivate()),
                "http://127.0.0.1:8080/fashion/model.onnx", issued);
        assertNull(byUrl.inline());
        assertEquals(command.signature(), byUrl.signature());
    }

    @Test
    void modelWithoutCardOrBadKeyIsRefusedWithExitTwo() throws Exception {
        Path plain = dir.resolve("plain.onnx");
        Files.write(plain, TinyClassifierOnnx.classifier(4).toByteArray());
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(2));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> SignedDeployment.create(plain,
                ModelSigner.fromFile(key), null, Instant.now()));
        assertTrue(e.getMessage().startsWith(plain + ": no model card"), e.getMessage());

        String allowedModel = ", allowed a model package written by 'trainer fit' (ONNX with a model card in its"
                + " metadata)\n";
        assertEquals(2, trainer("deploy", "--model", plain.toString(), "--key", key.toString(), "--broker",
                "tcp://127.0.0.1:1", "--device", "gate-01"));
        assertEquals("trainer deploy: --model " + plain + " is a plain ONNX model without a model card"
                + allowedModel, err.toString());

        Path notes = Files.writeString(dir.resolve("notes.txt"), "remember to retrain\n");
        assertEquals(2, trainer("deploy", "--model", notes.toString(), "--key", key.toString(), "--broker",
                "tcp://127.0.0.1:1", "--device", "gate-01"));
        assertEquals("trainer deploy: --model " + notes + " is not an ONNX model" + allowedModel, err.toString());

        Path jpeg = Files.write(dir.resolve("frame.onnx"), io.edgeloop.trainer.collect.HardExamples.jpeg(3));
        assertEquals(2, trainer("deploy", "--model", jpeg.toString(), "--key", key.toString(), "--broker",
                "tcp://127.0.0.1:1", "--device", "gate-01"));
        assertEquals("trainer deploy: --model " + jpeg + " is not an ONNX model" + allowedModel, err.toString());

        Path missing = dir.resolve("runs/v2/model.onnx");
        assertEquals(2, trainer("deploy", "--model", missing.toString(), "--key", key.toString(), "--broker",
                "tcp://127.0.0.1:1", "--device", "gate-01"));
        assertEquals("trainer deploy: --model " + missing + " not found" + allowedModel, err.toString());

        Path model = TestModels.write(dir.resolve("model.onnx"), "1").file();
        Path notKey = dir.resolve("not-a-key.pem");
        Files.writeString(notKey, "hello");
        Files.setPosixFilePermissions(notKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(2, trainer("deploy", "--model", model.toString(), "--key", notKey.toString(), "--broker",
                "tcp://127.0.0.1:1", "--fleet"));
        assertEquals("trainer deploy: --key " + notKey + ": not a PEM file (no -----BEGIN ...----- line), allowed"
                + " PEM text with one -----BEGIN PRIVATE KEY----- block (PKCS#8 private key)\n", err.toString());

        // A binary file (here the model itself) is "not a PEM file" too, not a charset error.
        Path binaryKey = Files.copy(model, dir.resolve("binary.pem"));
        Files.setPosixFilePermissions(binaryKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(2, trainer("deploy", "--model", model.toString(), "--key", binaryKey.toString(), "--broker",
                "tcp://127.0.0.1:1", "--fleet"));
        assertEquals("trainer deploy: --key " + binaryKey + ": not a PEM file (no -----BEGIN ...----- line),"
                + " allowed PEM text with one -----BEGIN PRIVATE KEY----- block (PKCS#8 private key)\n",
                err.toString());

        // The public half, world-readable as it should be: named as a public key, no chmod advice.
        Path pub = dir.resolve("keys/deploy.pub.pem");
        io.edgeloop.protocol.signing.KeyFiles.writePublicKey(pub, TestModels.keys(2).getPublic());
        assertEquals(2, trainer("deploy", "--model", model.toString(), "--key", pub.toString(), "--broker",
                "tcp://127.0.0.1:1", "--fleet"));
        assertEquals("trainer deploy: --key " + pub + " is a public key; deploy signs with the private one: allowed"
                + " an Ed25519 private key (PKCS#8 PEM, owner-only) such as the deploy.pem that 'trainer keys"
                + " generate' writes beside deploy.pub.pem\n", err.toString());

        Path noKey = dir.resolve("keys/nope.pem");
        assertEquals(2, trainer("deploy", "--model", model.toString(), "--key", noKey.toString(), "--broker",
                "tcp://127.0.0.1:1", "--fleet"));
        assertEquals("trainer deploy: --key " + noKey + " not found, allowed an Ed25519 private key file (PKCS#8"
                + " PEM, owner-only) such as the deploy.pem 'trainer keys generate' writes\n", err.toString());

        StringWriter err3 = new StringWriter();
        assertEquals(2, CommandLines.execute(new DeployModelCommand(), new PrintWriter(out), new PrintWriter(err3),
                "--model", model.toString(), "--key", key.toString(), "--broker", "tcp://127.0.0.1:1", "--fleet",
                "--device", "gate-01"));
        assertTrue(err3.toString().startsWith("trainer deploy: Error: --device=ID, --fleet are mutually exclusive"),
                err3.toString());
    }

    /** Runs the real program as a user would; {@link #err} holds this run's stderr only. */
    private int trainer(String... args) {
        err.getBuffer().setLength(0);
        return TrainerMain.execute(args, new PrintWriter(out), new PrintWriter(err), TrainerServices.defaults());
    }

    @Test
    void deployToOneDeviceFollowsItsStatusUntilActive() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.11.28-2").file();
        KeyPair keys = TestModels.keys(3);
        Path key = TestModels.privateKeyFile(dir, keys);
        try (FakeDevice device = new FakeDevice(broker.uri(), "gate-01", TrustStore.of(List.of(keys.getPublic())))
                     .listen()) {
            int code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "gate-01", "--wait", "20");
            assertEquals(0, code, err.toString());
            String keyId = SigningKeys.keyId(keys.getPublic());
            String sha = ModelPackage.read(model).sha256();
            assertEquals("Deploying fashion 2026.11.28-2 to gate-01 (inline, " + Files.size(model) + " bytes, key "
                    + keyId + ")\n"
                    + "  sha256 " + sha + "\n"
                    + "  on edgeloop/gate-01/deploy (retained)\n"
                    + "gate-01: received\n"
                    + "gate-01: verifying\n"
                    + "gate-01: smoke-testing\n"
                    + "gate-01: active\n"
                    + "Deploy complete: gate-01 active\n", out.toString());
            assertEquals(1, device.commands.size());
        }
    }

    @Test
    void rollbackMarksTheCommandSoDevicesAcceptAnOlderModel() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.11.01-1").file();
        KeyPair keys = TestModels.keys(3);
        Path key = TestModels.privateKeyFile(dir, keys);
        try (FakeDevice device = new FakeDevice(broker.uri(), "roll-01", TrustStore.of(List.of(keys.getPublic())))
                     .listen()) {
            int code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "roll-01", "--rollback", "--wait", "20");
            assertEquals(0, code, err.toString());
            assertEquals(1, device.commands.size());
            assertTrue(device.commands.get(0).rollsBack(), device.commands.toString());
        }
        try (FakeDevice device = new FakeDevice(broker.uri(), "roll-02", TrustStore.of(List.of(keys.getPublic())))
                     .listen()) {
            assertEquals(0, deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "roll-02", "--wait", "20"), err.toString());
            assertEquals(null, device.commands.get(0).rollback());
        }
    }

    @Test
    void theDeployJobReturnsATypedResultWithoutTheCommandLine() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.11.28-4").file();
        KeyPair keys = TestModels.keys(4);
        Path key = TestModels.privateKeyFile(dir, keys);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeDevice device = new FakeDevice(broker.uri(), "gate-04", TrustStore.of(List.of(keys.getPublic())))
                     .listen()) {
            DeployRequest request = DeployRequest.builder().setModel(model).setKey(key).setBroker(broker.uri())
                    .setTarget(DeployTarget.device("gate-04")).optWaitFor(java.time.Duration.ofSeconds(20))
                    .optClientId("deploy-job-test").build();
            DeployResult result = new DeployJob(Clock.fixed(Instant.parse("2026-11-28T21:00:00Z"), ZoneOffset.UTC))
                    .run(request, new DeployJob.Listener() {
                        @Override
                        public void status(io.edgeloop.protocol.mqtt.DeployStatus status) {
                            seen.add(DeployProgress.describe(status));
                        }
                    });
            assertEquals(DeployResult.Outcome.ACTIVE, result.outcome());
            assertTrue(result.succeeded());
            assertEquals("gate-04 active", result.summary());
            assertEquals(io.edgeloop.protocol.mqtt.DeployState.ACTIVE, result.devices().get("gate-04").state());
            assertEquals("edgeloop/gate-04/deploy", result.topic());
            assertEquals(Instant.parse("2026-11-28T21:00:00Z"), result.command().issuedAt());
            assertEquals(List.of("received", "verifying", "smoke-testing", "active"), seen);
        }
        assertEquals("--wait is -1 s, allowed 0 or more seconds", assertThrows(IllegalArgumentException.class,
                () -> DeployRequest.builder().setModel(model).setKey(key).setBroker(broker.uri())
                        .setTarget(DeployTarget.fleet()).optWaitFor(java.time.Duration.ofSeconds(-1)).build())
                .getMessage());
    }

    @Test
    @SuppressWarnings("try")
    void deviceTrustingAnotherKeyRejectsAndDeployFails() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "3").file();
        KeyPair signing = TestModels.keys(4);
        KeyPair trusted = TestModels.keys(5);
        Path key = TestModels.privateKeyFile(dir, signing);
        try (FakeDevice device = new FakeDevice(broker.uri(), "gate-02", TrustStore.of(List.of(trusted.getPublic())))
                     .listen()) {
            int code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                    "--device", "gate-02", "--wait", "20");
            assertEquals(1, code);
            String reason = "key " + SigningKeys.keyId(signing.getPublic()) + " is not trusted (trusted keys in"
                    + " in-memory: [" + SigningKeys.keyId(trusted.getPublic()) + "])";
            assertTrue(out.toString().endsWith("gate-02: verifying\ngate-02: rejected (" + reason + ")\n"),
                    out.toString());
            assertEquals("trainer deploy: deploy not active: gate-02 rejected (" + reason + ")\n", err.toString());
        }
    }

    @Test
    @SuppressWarnings("try")
    void fleetDeployWaitsForEveryOnlineDeviceAndRetainedCommandReachesLateDevices() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "4").file();
        KeyPair keys = TestModels.keys(6);
        Path key = TestModels.privateKeyFile(dir, keys);
        TrustStore trust = TrustStore.of(List.of(keys.getPublic()));
        try {
            try (FakeDevice a = new FakeDevice(broker.uri(), "cam-a", trust).listen();
                 FakeDevice b = new FakeDevice(broker.uri(), "cam-b", trust).listen()) {
                int code = deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                        "--fleet", "--wait", "20");
                assertEquals(0, code, err.toString() + out);
                assertTrue(out.toString().contains(" to the fleet (inline, ")
                        && out.toString().contains("\n  on edgeloop/_fleet/deploy (retained)\n"),
                        out.toString());
                assertTrue(out.toString().contains("cam-a: active\n") && out.toString().contains("cam-b: active\n"),
                        out.toString());
                assertTrue(out.toString().endsWith("Deploy complete: cam-a active, cam-b active\n")
                        || out.toString().endsWith("Deploy complete: cam-b active, cam-a active\n"), out.toString());
            }
            // A device that subscribes only now still receives the retained command.
            try (FakeDevice late = new FakeDevice(broker.uri(), "cam-c", trust).listen()) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (late.commands.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, late.commands.size());
                assertEquals("4", late.commands.get(0).version());
            }
        } finally {
            try (Deployer deployer = Deployer.connect(broker.uri(), "clear-fleet",
                    io.edgeloop.protocol.mqtt.Topics.DEFAULT)) {
                deployer.clear(DeployTarget.fleet());
            }
        }
        // Once cleared, a device connecting later gets no command.
        try (FakeDevice later = new FakeDevice(broker.uri(), "cam-d", trust).listen()) {
            Thread.sleep(500);
            assertEquals(0, later.commands.size());
        }
    }

    @Test
    void noStatusWithinTheWaitFailsNamingTheLastState() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "5").file();
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(7));
        assertEquals(1, deploy("--model", model.toString(), "--key", key.toString(), "--broker", broker.uri(),
                "--device", "gate-09", "--wait", "1"));
        assertEquals("trainer deploy: no final status within 1 s: gate-09 no status\n", err.toString());
        // Without --wait the command only publishes.
        StringWriter out2 = new StringWriter();
        assertEquals(0, CommandLines.execute(new DeployModelCommand().withClock(
                        Clock.fixed(Instant.parse("2026-11-28T20:00:00Z"), ZoneOffset.UTC)),
                new PrintWriter(out2), new PrintWriter(new StringWriter()), "--model", model.toString(),
                "--key", key.toString(), "--broker", broker.uri(), "--device", "gate-09"));
        assertTrue(out2.toString().endsWith("Published; not waiting for the devices (use --wait SECONDS to follow"
                + " them).\n"), out2.toString());
        // The retained command carries the issuing clock's time and reaches the device when it connects.
        try (FakeDevice late = new FakeDevice(broker.uri(), "gate-09", TrustStore.of(List.of())).listen()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (late.commands.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Instant.parse("2026-11-28T20:00:00Z"), late.commands.get(0).issuedAt());
        }
    }

    @Test
    void unreachableBrokerIsAFailure() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "6").file();
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(8));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(1, trainer("deploy", "--model", model.toString(), "--key", key.toString(), "--broker",
                "tcp://127.0.0.1:" + port, "--device", "gate-01"));
        assertEquals("trainer deploy: broker tcp://127.0.0.1:" + port + ": Unable to connect to server (Connection"
                + " refused)\n", err.toString());
    }

    @Test
    void aBrokerThatStopsAnsweringIsAFailureNotAHang() throws Exception {
        Path model = TestModels.write(dir.resolve("model.onnx"), "6").file();
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(8));
        // Accepts the connection, then never acknowledges anything: the QoS 1 publish of the command must give up.
        try (SilentBroker silent = SilentBroker.start()) {
            assertEquals(1, deploy("--model", model.toString(), "--key", key.toString(), "--broker", silent.uri(),
                    "--device", "gate-01", "--wait", "0"));
            assertTrue(err.toString().startsWith("trainer deploy: broker " + silent.uri() + ": "), err.toString());
            assertTrue(silent.bytesAfterConnect() > 0, "the command was sent before giving up");
        }
    }
}

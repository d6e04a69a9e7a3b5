package io.edgeloop.trainer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.testing.FleetBroker;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.protocol.tls.PemTls;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.cli.DeployModelCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code trainer deploy} on the locked-down fleet broker of {@code devices/broker/}: with the workstation's client
 * certificate ({@code --tls-ca/--tls-cert/--tls-key}) the command reaches the device; with the collector's it never
 * does; with TLS and a password, neither the password nor the signing key shows in the logs, the output or the
 * published messages.
 */
class FleetBrokerDeployTest {

    private static final PemTls.Names NAMES = new PemTls.Names("tls", "ca", "cert", "key", "passphrase");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int deploy(String... args) {
        return CommandLines.execute(new DeployModelCommand(), new PrintWriter(out), new PrintWriter(err), args);
    }

    /** cam-1 of the fleet (certificate, or password when the fleet uses passwords), collecting what it receives. */
    private static MqttClient device(FleetBroker broker, Path fleet, boolean password, List<String> received)
            throws Exception {
        MqttClient c = TestMqtt.client(broker.uri(), "cam-1-test");
        MqttConnectionOptions o = new MqttConnectionOptions();
        Path id = broker.client("cam-1", "ca.pem").getParent();
        o.setSocketFactory(password ? PemTls.socketFactory(fleet.resolve("ca.pem"), null, null, null, NAMES)
                : PemTls.socketFactory(fleet.resolve("ca.pem"), id.resolve("client.pem"), id.resolve("client.key"),
                        null, NAMES));
        if (password) {
            o.setUserName("cam-1");
            o.setPassword(Files.readAllBytes(id.resolve("password")));
        }
        c.setCallback(TestMqtt.onMessage((topic, m) ->
                received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8))));
        c.connect(o);
        c.subscribe(new String[] {"edgeloop/cam-1/deploy", "edgeloop/_fleet/deploy"}, new int[] {1, 1});
        return c;
    }

    private static String await(List<String> received, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (!received.isEmpty()) {
                return received.get(0);
            }
            Thread.sleep(20);
        }
        return null;
    }

    private List<String> tlsArgs(FleetBroker broker, Path fleet, String id) {
        return List.of("--broker", broker.uri(), "--tls-ca", fleet.resolve("ca.pem").toString(), "--tls-cert",
                broker.client(id, "client.pem").toString(), "--tls-key", broker.client(id, "client.key").toString());
    }

    @Test
    void theDeployRoleReachesTheDeviceAndTheCollectorCannot() throws Exception {
        Path fleet = dir.resolve("fleet");
        FleetBroker.generate("--fleet", fleet.toString(), "--devices", "cam-1");
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.12.07-1").file();
        Path key = TestModels.privateKeyFile(dir, TestModels.keys(3));
        try (FleetBroker broker = FleetBroker.start(fleet)) {
            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient cam = device(broker, fleet, false, received);
            try {
                List<String> asCollector = new ArrayList<>(List.of("--model", model.toString(), "--key",
                        key.toString(), "--device", "cam-1"));
                asCollector.addAll(tlsArgs(broker, fleet, "collector"));
                assertEquals(0, deploy(asCollector.toArray(String[]::new)), err.toString());
                // mosquitto acknowledges and drops a publish the ACL denies
                assertEquals(null, await(received, 1000), received.toString());

                List<String> asWorkstation = new ArrayList<>(List.of("--model", model.toString(), "--key",
                        key.toString(), "--fleet"));
                asWorkstation.addAll(tlsArgs(broker, fleet, "workstation"));
                assertEquals(0, deploy(asWorkstation.toArray(String[]::new)), err.toString());
                String got = await(received, 10_000);
                assertTrue(got != null && got.startsWith("edgeloop/_fleet/deploy {"), received.toString());
                DeployCommand command = Payloads.decode(got.substring(got.indexOf(' ') + 1)
                        .getBytes(StandardCharsets.UTF_8), DeployCommand.class);
                assertEquals(ModelPackage.read(model).sha256(), command.sha256());
            } finally {
                cam.disconnect();
                cam.close();
            }
            // without the CA the JVM does not trust the fleet's broker: a clear failure, nothing published
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertEquals(1, deploy("--model", model.toString(), "--key", key.toString(), "--fleet", "--broker",
                    broker.uri()), out.toString());
            assertTrue(err.toString().contains("broker " + broker.uri()) && err.toString().contains("; the broker's"
                    + " certificate is not signed by a CA this client trusts: give the fleet CA with --tls-ca FILE"),
                    err.toString());
            // a client certificate without the CA is refused before connecting
            err.getBuffer().setLength(0);
            assertEquals(2, deploy("--model", model.toString(), "--key", key.toString(), "--fleet", "--broker",
                    broker.uri(), "--tls-cert", broker.client("workstation", "client.pem").toString(), "--tls-key",
                    broker.client("workstation", "client.key").toString()));
            assertTrue(err.toString().contains("--tls-cert, --tls-key and --tls-key-passphrase-env need --tls-ca"
                    + " FILE"), err.toString());
        }
    }

    @Test
    void theCollectorCollectsOverMutualTlsAndNeverAForgedExample() throws Exception {
        Path fleet = dir.resolve("fleet");
        FleetBroker.generate("--fleet", fleet.toString(), "--devices", "cam-1,cam-2");
        try (FleetBroker broker = FleetBroker.start(fleet)) {
            Path id = broker.client("collector", "ca.pem").getParent();
            Thread collect = new Thread(() -> CommandLines.execute(new io.edgeloop.trainer.cli.CollectCommand(),
                    new PrintWriter(out), new PrintWriter(err), "--broker", broker.uri(), "--dir", dir.toString(),
                    "--client-id", "fleet-collector", "--duration", "4", "--tls-ca", id.resolve("ca.pem").toString(),
                    "--tls-cert", id.resolve("client.pem").toString(), "--tls-key",
                    id.resolve("client.key").toString()));
            collect.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!out.toString().contains("Collecting hard examples from") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(out.toString().contains("Collecting hard examples from " + broker.uri()), out + "" + err);
            MqttClient cam = device(broker, fleet, false, new ArrayList<>());
            try {
                // cam-1 posing as cam-2 (dropped by the broker), then as itself
                cam.publish("edgeloop/cam-2/front/hard", new MqttMessage(io.edgeloop.trainer.collect.HardExamples
                        .payload("cam-2", "front", 1, io.edgeloop.trainer.collect.HardExamples.jpeg(81)), 1, false,
                        null));
                cam.publish("edgeloop/cam-1/front/hard", new MqttMessage(io.edgeloop.trainer.collect.HardExamples
                        .payload("cam-1", "front", 2, io.edgeloop.trainer.collect.HardExamples.jpeg(82)), 1, false,
                        null));
            } finally {
                cam.disconnect();
                cam.close();
            }
            collect.join(20_000);
            assertTrue(out.toString().contains("Summary: received 1, stored 1,"), out + "" + err);
            try (var files = Files.walk(dir.resolve("inbox"))) {
                List<String> stored = files.map(p -> dir.resolve("inbox").relativize(p).toString())
                        .filter(n -> n.endsWith(".json") && !n.contains("/.")).toList();
                assertEquals(1, stored.size(), stored.toString());
                assertTrue(stored.get(0).contains("cam-1"), stored.toString());
            }
        }
    }

    @Test
    void noPasswordOrSigningKeyInTheTrainersLogsOutputOrMessages() throws Exception {
        Path fleet = dir.resolve("fleet");
        FleetBroker.generate("--fleet", fleet.toString(), "--devices", "cam-1", "--auth", "password");
        Path model = TestModels.write(dir.resolve("model.onnx"), "2026.12.07-2").file();
        KeyPair keys = TestModels.keys(4);
        Path key = TestModels.privateKeyFile(dir, keys);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger edgeloop = (Logger) LoggerFactory.getLogger("io.edgeloop");
        Level level = edgeloop.getLevel();
        edgeloop.setLevel(Level.ALL);
        root.addAppender(logs);
        List<String> received = new CopyOnWriteArrayList<>();
        try (FleetBroker broker = FleetBroker.start(fleet)) {
            MqttClient cam = device(broker, fleet, true, received);
            try {
                assertEquals(0, deploy("--model", model.toString(), "--key", key.toString(), "--device", "cam-1",
                        "--broker", broker.uri(), "--tls-ca", fleet.resolve("ca.pem").toString(), "--username",
                        "workstation", "--password-file", broker.client("workstation", "password").toString()),
                        err.toString());
                assertTrue(await(received, 10_000) != null, received.toString());
                // a wrong password: refused, and the refusal does not echo it
                assertEquals(1, deploy("--model", model.toString(), "--key", key.toString(), "--device", "cam-1",
                        "--broker", broker.uri(), "--tls-ca", fleet.resolve("ca.pem").toString(), "--username",
                        "workstation", "--password-file", broker.client("cam-1", "password").toString()));
            } finally {
                cam.disconnect();
                cam.close();
            }
        } finally {
            root.detachAppender(logs);
            edgeloop.setLevel(level);
        }
        List<String> texts = new ArrayList<>(logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList());
        texts.add(out.toString());
        texts.add(err.toString());
        texts.addAll(received);
        String pem = Files.readString(key);
        String keyBody = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        List<String> secrets = List.of(Files.readString(broker(fleet, "workstation")),
                Files.readString(broker(fleet, "cam-1")), keyBody, keyBody.substring(keyBody.length() - 24));
        for (String secret : secrets) {
            for (String text : texts) {
                assertFalse(text.contains(secret), "a secret shows in: " + text);
            }
        }
        assertTrue(out.toString().contains("Deploying fashion 2026.12.07-2 to cam-1"), out.toString());
    }

    private static Path broker(Path fleet, String id) {
        return fleet.resolve("clients").resolve(id).resolve("password");
    }
}

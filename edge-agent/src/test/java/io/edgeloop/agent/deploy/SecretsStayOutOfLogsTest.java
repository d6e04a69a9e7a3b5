package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.FleetBroker;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.protocol.tls.PemTls;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A TLS + password run of the agent on the fleet broker ({@code make-fleet-broker.sh --auth password}) with a
 * signed deploy: every log line of the agent (all levels, with stack traces) and every message it publishes is
 * captured, and none holds a password.
 */
class SecretsStayOutOfLogsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T19:00:00Z");

    @TempDir
    Path tmp;

    private static final PemTls.Names NAMES = new PemTls.Names("tls", "ca", "cert", "key", "passphrase");

    /** A Paho client of a fleet identity, logged in with its generated password over TLS. */
    private static MqttClient client(FleetBroker broker, Path fleet, String id, List<String> received)
            throws Exception {
        MqttClient c = TestMqtt.client(broker.uri(), id + "-test");
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(PemTls.socketFactory(fleet.resolve("ca.pem"), null, null, null, NAMES));
        o.setUserName(id);
        o.setPassword(Files.readAllBytes(broker.client(id, "password")));
        c.setCallback(TestMqtt.onMessage((topic, m) ->
                received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8))));
        c.connect(o);
        return c;
    }

    private static void await(List<String> received, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (received.stream().anyMatch(m -> m.contains(what))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no message containing " + what + " within 20 s: " + received);
    }

    @Test
    void noPasswordInTheAgentsLogsOrMessages() throws Exception {
        Path fleet = tmp.resolve("fleet");
        FleetBroker.generate("--fleet", fleet.toString(), "--devices", "dev1", "--auth", "password");
        KeyPair keys = DeployFixtures.keys(7);
        Path trusted = tmp.resolve("trusted");
        TrustStore.add(trusted, keys.getPublic());
        Path v1 = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1", List.of("red", "green",
                "blue"));
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("red.png"), Color.RED, "png");

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger edgeloop = (Logger) LoggerFactory.getLogger("io.edgeloop");
        Level level = edgeloop.getLevel();
        edgeloop.setLevel(Level.ALL);
        root.addAppender(logs);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (FleetBroker broker = FleetBroker.start(fleet)) {
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
                      username: dev1
                      passwordFile: %s
                      tls:
                        caFile: %s
                      reconnectInitialMillis: 100
                      reconnectMaxMillis: 500
                      connectTimeoutSeconds: 3
                    metrics:
                      intervalSeconds: 1
                    deploy:
                      trustedKeys: %s
                      maxModelBytes: 1048576
                    shutdownTimeoutSeconds: 8
                    """.formatted(tmp.resolve("state"), v1, frames, broker.uri(), broker.client("dev1", "password"),
                    fleet.resolve("ca.pem"), trusted);
            AgentConfig config = new ConfigLoader().parse(yaml, "agent.yaml");
            MqttClient collector = client(broker, fleet, "collector", seen);
            MqttClient workstation = client(broker, fleet, "workstation", seen);
            try {
                collector.subscribe(new MqttSubscription[] {new MqttSubscription("edgeloop/+/+/events", 1),
                    new MqttSubscription("edgeloop/+/status", 1), new MqttSubscription("edgeloop/+/metrics", 0),
                    new MqttSubscription("edgeloop/+/deploy/status", 1)});
                Agent agent = Agent.create(config, Map.of(), new Random(3));
                try {
                    agent.start();
                    await(seen, "edgeloop/dev1/cam1/events ");
                    Path v2 = DeployFixtures.colourPackage(tmp.resolve("release/colour-2.onnx"), "2",
                            List.of("red", "green", "blue"));
                    DeployCommand command = DeployFixtures.command(v2, "colour", "2", keys, T0, null);
                    workstation.publish(Topics.DEFAULT.deploy("dev1"), Payloads.encode(command), 1, true);
                    await(seen, "\"state\":\"active\"");
                    await(seen, "edgeloop/dev1/metrics ");
                } finally {
                    agent.close();
                }
                workstation.publish(Topics.DEFAULT.deploy("dev1"), new byte[0], 1, true);
            } finally {
                collector.disconnect();
                collector.close();
                workstation.disconnect();
                workstation.close();
            }
        } finally {
            root.detachAppender(logs);
            edgeloop.setLevel(level);
        }
        List<String> lines = logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertTrue(lines.size() > 5, "too few log lines captured to mean anything: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("model colour 2 active")), lines.toString());
        for (String id : List.of("dev1", "collector", "workstation")) {
            String password = Files.readString(fleet.resolve("clients").resolve(id).resolve("password"));
            assertEquals(32, password.length(), "24 random bytes in base64");
            for (String line : lines) {
                assertFalse(line.contains(password), "log line holds the password of " + id + ": " + line);
            }
            for (String message : seen) {
                assertFalse(message.contains(password), "message holds the password of " + id + ": " + message);
            }
        }
    }
}

package io.edgeloop.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.TlsConfig;
import io.edgeloop.protocol.testing.FleetBroker;
import io.edgeloop.protocol.testing.TestMqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet broker set-up that {@code devices/broker/make-fleet-broker.sh} generates, against a real mosquitto:
 * each identity reaches exactly what its ACL grants, plaintext and bad certificates are refused. Connections use the
 * agent's own TLS code ({@link TlsSocketFactory} from a {@link TlsConfig}).
 */
class FleetBrokerTest {

    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path tmp;

    private static Path fleet;
    private static FleetBroker broker;

    @BeforeAll
    static void generateAndStart() throws Exception {
        fleet = tmp.resolve("fleet");
        FleetBroker.generate("--fleet", fleet.toString(), "--devices", "cam-1,cam-2");
        FleetBroker.generate("--fleet", fleet.toString(), "--add", "--devices", "old-cam", "--days", "-1");
        broker = FleetBroker.start(fleet);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    /** A client of {@code identity} (its certificate), trusting {@code ca}. */
    private static SSLSocketFactory tls(Path ca, Path identity) throws Exception {
        return TlsSocketFactory.create(new TlsConfig(ca.toString(),
                identity == null ? null : identity.resolve("client.pem").toString(),
                identity == null ? null : identity.resolve("client.key").toString(), null, null, null), Map.of());
    }

    private static Path identity(String id) {
        return broker.client(id, "client.pem").getParent();
    }

    private static String probe(String uri, SSLSocketFactory factory, boolean verifyHostname) {
        return BrokerProbe.probe(new LinkSettings(uri, "probe-" + IDS.incrementAndGet(), null, null, factory, 10, 5,
                0, 100, 400, "edgeloop/probe/status", verifyHostname));
    }

    /** A connected client of a fleet identity; messages on its subscriptions land in {@link #received}. */
    private static final class Client implements AutoCloseable {
        final MqttClient mqtt;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        Client(String id) throws Exception {
            mqtt = TestMqtt.client(broker.uri(), id + "-" + IDS.incrementAndGet());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setSocketFactory(tls(fleet.resolve("ca.pem"), identity(id)));
            o.setCleanStart(true);
            mqtt.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
                }

                @Override
                public void connectComplete(boolean reconnect, String uri) {
                }

                @Override
                public void authPacketArrived(int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                }
            });
            mqtt.connect(o);
        }

        /** Subscribes at QoS 1; returns the broker's reason code per filter (0x87 = not authorized). */
        List<Integer> subscribe(String... filters) throws MqttException {
            MqttSubscription[] subs = new MqttSubscription[filters.length];
            for (int i = 0; i < filters.length; i++) {
                subs[i] = new MqttSubscription(filters[i], 1);
            }
            IMqttToken token = mqtt.subscribe(subs);
            List<Integer> codes = new ArrayList<>();
            for (int c : token.getReasonCodes()) {
                codes.add(c);
            }
            return codes;
        }

        /** Publishes at QoS 1; returns null if the broker accepted it, else why not. */
        String publish(String topic, String text) {
            try {
                mqtt.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, false);
                return null;
            } catch (MqttException e) {
                return e.getMessage() + " (" + e.getReasonCode() + ")";
            }
        }

        /** Everything received within {@code millis}, in order. */
        List<String> drain(long millis) throws InterruptedException {
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            String m;
            while ((m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                out.add(m);
            }
            return out;
        }

        /** Waits for {@code expected}; returns everything received up to and including it. */
        List<String> until(String expected) throws InterruptedException {
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    out.add(m);
                    if (m.equals(expected)) {
                        return out;
                    }
                }
            }
            throw new AssertionError("did not receive '" + expected + "' within 10 s; got " + out);
        }

        @Override
        public void close() throws MqttException {
            if (mqtt.isConnected()) {
                mqtt.disconnect();
            }
            mqtt.close();
        }
    }

    @Test
    void aDevicePublishesOnlyUnderItsOwnIdAndTheCollectorReadsIt() throws Exception {
        try (Client collector = new Client("collector"); Client cam1 = new Client("cam-1")) {
            assertEquals(List.of(1, 1, 1, 1, 1), collector.subscribe("edgeloop/+/+/events", "edgeloop/+/status",
                    "edgeloop/+/metrics", "edgeloop/+/+/hard", "edgeloop/+/deploy/status"));
            // posing as cam-2: mosquitto 2.0 acknowledges a denied publish like any other (so a client learns
            // nothing) and drops it; it never reaches a subscriber
            cam1.publish("edgeloop/cam-2/front/events", "forged event");
            cam1.publish("edgeloop/cam-2/status", "forged status");
            cam1.publish("edgeloop/cam-2/metrics", "forged metrics");
            cam1.publish("edgeloop/cam-2/deploy/status", "forged deploy status");
            assertNull(cam1.publish("edgeloop/cam-1/front/events", "own event"));
            assertNull(cam1.publish("edgeloop/cam-1/status", "own status"));
            assertNull(cam1.publish("edgeloop/cam-1/front/hard", "own hard"));
            assertNull(cam1.publish("edgeloop/cam-1/deploy/status", "own deploy status"));
            List<String> got = collector.until("edgeloop/cam-1/deploy/status own deploy status");
            got.addAll(collector.drain(300));
            assertEquals(List.of("edgeloop/cam-1/front/events own event", "edgeloop/cam-1/status own status",
                    "edgeloop/cam-1/front/hard own hard", "edgeloop/cam-1/deploy/status own deploy status"), got);
        }
    }

    @Test
    void aDeviceReadsOnlyItsOwnAndTheFleetsCommandsWhichOnlyTheDeployRoleCanPublish() throws Exception {
        try (Client cam1 = new Client("cam-1"); Client cam2 = new Client("cam-2");
             Client collector = new Client("collector"); Client workstation = new Client("workstation")) {
            assertEquals(List.of(1, 1), cam1.subscribe("edgeloop/cam-1/deploy", "edgeloop/_fleet/deploy"));
            assertEquals(List.of(1, 1), cam2.subscribe("edgeloop/cam-2/deploy", "edgeloop/_fleet/deploy"));
            // reading another device's commands, directly or by a wildcard: mosquitto 2.0 grants the subscription
            // and checks every message against the ACL on delivery, so they never arrive
            cam1.subscribe("edgeloop/cam-2/deploy", "edgeloop/#");
            // the collector and the devices cannot command anyone (not even a device itself)
            collector.publish("edgeloop/_fleet/deploy", "collector fleet command");
            collector.publish("edgeloop/cam-1/deploy", "collector command");
            cam2.publish("edgeloop/cam-1/deploy", "cam-2 command");
            cam2.publish("edgeloop/_fleet/deploy", "cam-2 fleet command");
            cam1.publish("edgeloop/cam-1/deploy", "self command");
            // the deploy role can
            assertNull(workstation.publish("edgeloop/cam-2/deploy", "for cam-2"));
            assertNull(workstation.publish("edgeloop/cam-1/deploy", "for cam-1"));
            assertNull(workstation.publish("edgeloop/_fleet/deploy", "for all"));
            List<String> one = cam1.until("edgeloop/_fleet/deploy for all");
            one.addAll(cam1.drain(300));
            // cam-1 holds two matching subscriptions for its own topics (exact filter and #): each copy is its own
            assertEquals(List.of("edgeloop/cam-1/deploy for cam-1", "edgeloop/_fleet/deploy for all"),
                    one.stream().distinct().toList());
            List<String> two = cam2.until("edgeloop/_fleet/deploy for all");
            two.addAll(cam2.drain(300));
            assertEquals(List.of("edgeloop/cam-2/deploy for cam-2", "edgeloop/_fleet/deploy for all"), two);
        }
    }

    @Test
    void theCollectorCannotReadCommandsAndTheDeployRoleCannotPoseAsADevice() throws Exception {
        try (Client collector = new Client("collector"); Client workstation = new Client("workstation");
             Client cam1 = new Client("cam-1")) {
            collector.subscribe("edgeloop/+/deploy", "edgeloop/_fleet/deploy", "edgeloop/+/+/events",
                    "edgeloop/+/status");
            assertNull(workstation.publish("edgeloop/cam-1/deploy", "command"));
            assertNull(workstation.publish("edgeloop/_fleet/deploy", "fleet command"));
            workstation.publish("edgeloop/cam-1/front/events", "forged by the workstation");
            workstation.publish("edgeloop/cam-1/status", "forged by the workstation");
            assertNull(cam1.publish("edgeloop/cam-1/front/events", "marker"));
            List<String> got = collector.until("edgeloop/cam-1/front/events marker");
            got.addAll(collector.drain(300));
            assertEquals(List.of("edgeloop/cam-1/front/events marker"), got);
        }
    }

    @Test
    void collectorsShareHardExamplesAndTheAclStillHolds() throws Exception {
        try (Client collector = new Client("collector"); Client cam1 = new Client("cam-1")) {
            collector.subscribe("$share/collectors/edgeloop/+/+/hard", "$share/collectors/edgeloop/+/deploy");
            cam1.publish("edgeloop/cam-2/front/hard", "forged hard");
            assertNull(cam1.publish("edgeloop/cam-1/front/hard", "shared hard"));
            List<String> got = collector.until("edgeloop/cam-1/front/hard shared hard");
            got.addAll(collector.drain(300));
            assertEquals(List.of("edgeloop/cam-1/front/hard shared hard"), got);
        }
        try (Client collector = new Client("collector"); Client workstation = new Client("workstation");
             Client cam1 = new Client("cam-1")) {
            collector.subscribe("$share/collectors/edgeloop/+/deploy", "$share/collectors/edgeloop/+/+/events");
            assertNull(workstation.publish("edgeloop/cam-1/deploy", "not for collectors"));
            assertNull(cam1.publish("edgeloop/cam-1/front/events", "marker"));
            List<String> got = collector.until("edgeloop/cam-1/front/events marker");
            got.addAll(collector.drain(300));
            assertEquals(List.of("edgeloop/cam-1/front/events marker"), got);
            workstation.mqtt.publish("edgeloop/cam-1/deploy", new byte[0], 1, true);
        }
    }

    @Test
    void plaintextAndMissingClientCertificatesAreRefused() throws Exception {
        String plain = probe("tcp://127.0.0.1:" + broker.port(), null, true);
        assertNotNull(plain, "a plaintext MQTT connect to the TLS listener must fail");
        assertNotNull(probe(broker.uri(), tls(fleet.resolve("ca.pem"), null), true),
                "a TLS client without a certificate must be refused");
        assertNull(probe(broker.uri(), tls(fleet.resolve("ca.pem"), identity("cam-1")), true), broker.log());
    }

    @Test
    void certificatesOfAnotherCaAndExpiredOnesAreRefused() throws Exception {
        Path other = tmp.resolve("other-fleet");
        FleetBroker.generate("--fleet", other.toString(), "--devices", "cam-1");
        // the other CA's cam-1 certificate, presented to this fleet's broker
        assertNotNull(probe(broker.uri(), tls(fleet.resolve("ca.pem"), other.resolve("clients/cam-1")), true));
        // a client that trusts only the other CA does not accept this broker
        assertNotNull(probe(broker.uri(), tls(other.resolve("ca.pem"), identity("cam-1")), true));
        // signed by the fleet CA, but expired yesterday
        assertNotNull(probe(broker.uri(), tls(fleet.resolve("ca.pem"), identity("old-cam")), true));
    }

    @Test
    void aBrokerCertificateForAnotherHostIsRefused() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere");
        FleetBroker.generate("--fleet", elsewhere.toString(), "--devices", "cam-1", "--host", "broker.example");
        try (FleetBroker named = FleetBroker.start(elsewhere)) {
            SSLSocketFactory factory = tls(elsewhere.resolve("ca.pem"), elsewhere.resolve("clients/cam-1"));
            String refused = probe(named.uri(), factory, true);
            assertNotNull(refused, "the certificate names broker.example, not 127.0.0.1");
            // the same files without host name verification connect: the host name was the only fault
            assertNull(probe(named.uri(), factory, false), named.log());
        }
    }

    @Test
    void theScriptRefusesBadInputWithTheReason() throws Exception {
        FleetBroker.ScriptRun badId = FleetBroker.run("--fleet", tmp.resolve("bad").toString(), "--devices",
                "cam-1,_fleet");
        assertEquals(2, badId.exitCode());
        assertTrue(badId.output().contains("--devices: '_fleet' is not an id, allowed 1-64 of A-Z a-z 0-9 _ - "
                + "starting with a letter or digit"), badId.output());
        FleetBroker.ScriptRun again = FleetBroker.run("--fleet", fleet.toString(), "--devices", "cam-3");
        assertEquals(2, again.exitCode());
        assertTrue(again.output().contains(fleet + " already holds a CA (ca.key); use --add"), again.output());
        FleetBroker.ScriptRun twice = FleetBroker.run("--fleet", tmp.resolve("twice").toString(), "--devices",
                "cam-1,collector");
        assertTrue(twice.output().contains("identity 'collector' is given twice"), twice.output());
        assertTrue(Files.exists(fleet.resolve("acl")));
    }
}

package io.edgeloop.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.spool.Spool;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttLinkTest {

    @TempDir
    Path tmp;

    private static LinkSettings settings(String uri) {
        return new LinkSettings(uri, "agent-test", null, null, null, 10, 3, 600, 100, 400, "edgeloop/dev1/status");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttLink link(String uri, Spool spool) {
        return new MqttLink(settings(uri), spool, () -> bytes("online"), () -> bytes("offline"), List::of,
                new Random(7));
    }

    @Test
    void birthIsRetainedAndGracefulStopPublishesOffline() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Spool spool = Spool.open(tmp.resolve("spool"), 1 << 20, 64 << 10, 0)) {
            MqttLink link = link(broker.uri(), spool);
            link.start();
            try (Subscriber sub = new Subscriber(broker.uri(), "watcher", "edgeloop/dev1/status")) {
                Subscriber.Received r = sub.poll(5, TimeUnit.SECONDS);
                assertNotNull(r, "no birth status");
                assertEquals("online", r.text());
                link.close(5000);
                Subscriber.Received off = sub.poll(5, TimeUnit.SECONDS);
                assertNotNull(off, "no offline status on graceful stop");
                assertEquals("offline", off.text());
            }
            // a late subscriber sees the retained offline status
            try (Subscriber late = new Subscriber(broker.uri(), "late", "edgeloop/dev1/status")) {
                Subscriber.Received r = late.poll(5, TimeUnit.SECONDS);
                assertNotNull(r);
                assertTrue(r.retained());
                assertEquals("offline", r.text());
            }
        }
    }

    @Test
    void everyQos1MessageArrivesInOrderAcrossABrokerRestart() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Spool spool = Spool.open(tmp.resolve("spool"), 8 << 20, 1 << 20, 0)) {
            MqttLink link = link(broker.uri(), spool);
            List<Subscriber.Received> got = new ArrayList<>();
            int total = 300;
            try {
                Subscriber sub = new Subscriber(broker.uri(), "collector", "edgeloop/dev1/cam/events");
                link.start();
                // the restart below must interrupt a live connection, not a first connect still in its backoff
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!link.stats().connected() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(link.stats().connected(), "link connected before the restart: " + link.stats());
                for (int i = 0; i < total; i++) {
                    spool.append(new SpooledMessage("edgeloop/dev1/cam/events", 1, false, bytes("e" + i)));
                    if (i == 100) {
                        broker.stopProcess();
                        // drain what the subscriber's client already took in (its callback thread can lag under load;
                        // a message acknowledged by it but not drained here would look lost)
                        got.addAll(sub.await("/events", Integer.MAX_VALUE, 1500));
                        sub.close();
                    }
                    if (i == 200) {
                        broker.startProcess();
                        Thread.sleep(700); // the link reconnects and delivers before the collector is back
                        // same client id, clean start false: the broker kept the subscription and queues for it
                        sub = new Subscriber(broker.uri(), "collector", "edgeloop/dev1/cam/events");
                    }
                    Thread.sleep(2);
                }
                got.addAll(sub.await("/events", total - got.size(), 20_000));
                got.addAll(sub.await("/events", Integer.MAX_VALUE, 300));
                sub.close();
                List<Integer> seq = new ArrayList<>();
                for (Subscriber.Received r : got) {
                    seq.add(Integer.parseInt(r.text().substring(1)));
                }
                // at-least-once: a duplicate of an unacknowledged message may arrive; loss and reordering may not
                List<Integer> distinct = seq.stream().distinct().toList();
                if (distinct.size() != total) {
                    System.out.println(java.nio.file.Files.readString(tmp.resolve("broker/mosquitto.log")));
                }
                assertEquals(total, distinct.size(), "received " + seq + " stats " + link.stats());
                for (int i = 0; i < distinct.size(); i++) {
                    assertEquals(i, distinct.get(i), "out of order at " + i + ": " + seq);
                }
                assertTrue(link.stats().connects() >= 2, "reconnected: " + link.stats());
                assertEquals(0, spool.pending());
            } finally {
                link.close(5000);
            }
        }
    }

    @Test
    void firstConnectIsRetriedUntilTheBrokerAppears() throws Exception {
        Path brokerDir = tmp.resolve("broker");
        Mosquitto.assumeInstalled();
        try (Spool spool = Spool.open(tmp.resolve("spool"), 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < 5; i++) {
                spool.append(new SpooledMessage("edgeloop/dev1/cam/events", 1, false, bytes("early" + i)));
            }
            try (Mosquitto broker = Mosquitto.start(brokerDir)) {
                // register the collector's persistent session first, so nothing delivered before it reconnects is lost
                new Subscriber(broker.uri(), "c2", "edgeloop/dev1/cam/events").close();
                broker.stopProcess();
                MqttLink link = link(broker.uri(), spool);
                link.start();
                try {
                    Thread.sleep(800);
                    assertTrue(link.stats().connectFailures() >= 1);
                    broker.startProcess();
                    try (Subscriber sub = new Subscriber(broker.uri(), "c2", "edgeloop/dev1/cam/events")) {
                        List<Subscriber.Received> got = sub.await("/events", 5, 10_000);
                        assertEquals(List.of("early0", "early1", "early2", "early3", "early4"),
                                got.stream().map(Subscriber.Received::text).toList());
                    }
                } finally {
                    link.close(5000);
                }
            }
        }
    }
}

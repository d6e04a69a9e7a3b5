package io.edgeloop.protocol.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    private final Topics topics = Topics.DEFAULT;

    @Test
    void buildsTheDocumentedTopics() {
        assertEquals("edgeloop/gate-01/status", topics.status("gate-01"));
        assertEquals("edgeloop/gate-01/front/events", topics.events("gate-01", "front"));
        assertEquals("edgeloop/gate-01/metrics", topics.metrics("gate-01"));
        assertEquals("edgeloop/gate-01/front/hard", topics.hard("gate-01", "front"));
        assertEquals("edgeloop/gate-01/deploy", topics.deploy("gate-01"));
        assertEquals("edgeloop/_fleet/deploy", topics.fleetDeploy());
        assertEquals("edgeloop/gate-01/deploy/status", topics.deployStatus("gate-01"));
        assertEquals("site-3/edgeloop/gate-01/status", new Topics("site-3/edgeloop").status("gate-01"));
    }

    @Test
    void buildsFiltersAndSharedSubscriptions() {
        assertEquals("edgeloop/+/+/hard", topics.filter(TopicKind.HARD));
        assertEquals("edgeloop/+/+/events", topics.filter(TopicKind.EVENTS));
        assertEquals("edgeloop/+/status", topics.filter(TopicKind.STATUS));
        assertEquals("edgeloop/+/metrics", topics.filter(TopicKind.METRICS));
        assertEquals("edgeloop/+/deploy", topics.filter(TopicKind.DEPLOY));
        assertEquals("edgeloop/_fleet/deploy", topics.filter(TopicKind.FLEET_DEPLOY));
        assertEquals("edgeloop/+/deploy/status", topics.filter(TopicKind.DEPLOY_STATUS));
        assertEquals("edgeloop/#", topics.filterAll());
        assertEquals("$share/collectors/edgeloop/+/+/hard", Topics.shared("collectors",
                topics.filter(TopicKind.HARD)));
        assertEquals("shared subscription group is \"a/b\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII"
                        + " letters, digits, '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> Topics.shared("a/b", "x/#")).getMessage());
        assertEquals("filter is \"$share/g/x\", allowed a non-empty filter not starting with $",
                assertThrows(IllegalArgumentException.class, () -> Topics.shared("g", "$share/g/x")).getMessage());
    }

    @Test
    void everyTopicParsesBackToItsAddress() throws Exception {
        List<TopicAddress> addresses = List.of(
                new TopicAddress(TopicKind.STATUS, "gate-01", null),
                new TopicAddress(TopicKind.EVENTS, "gate-01", "front"),
                new TopicAddress(TopicKind.METRICS, "gate-01", null),
                new TopicAddress(TopicKind.HARD, "gate-01", "front"),
                new TopicAddress(TopicKind.DEPLOY, "gate-01", null),
                new TopicAddress(TopicKind.FLEET_DEPLOY, null, null),
                new TopicAddress(TopicKind.DEPLOY_STATUS, "gate-01", null),
                // Camera ids equal to fixed level names still parse unambiguously.
                new TopicAddress(TopicKind.EVENTS, "status", "deploy"),
                new TopicAddress(TopicKind.HARD, "deploy", "status"));
        for (Topics t : List.of(topics, new Topics("site-3/edgeloop"))) {
            for (TopicAddress a : addresses) {
                assertEquals(a, t.parse(t.topic(a)), t.topic(a));
            }
        }
        TopicAddress parsed = topics.parse("edgeloop/gate-01/front/hard");
        assertEquals("gate-01", parsed.deviceId().orElseThrow());
        assertEquals("front", parsed.cameraId().orElseThrow());
        assertTrue(topics.parse("edgeloop/_fleet/deploy").deviceId().isEmpty());
    }

    @Test
    void foreignTopicsAreRejectedClearly() {
        String shapes = "allowed edgeloop/<device>/status, edgeloop/<device>/<camera>/events,"
                + " edgeloop/<device>/metrics, edgeloop/<device>/<camera>/hard, edgeloop/<device>/deploy,"
                + " edgeloop/_fleet/deploy, edgeloop/<device>/deploy/status";
        assertForeign("home/kitchen/light", "not an edgeloop topic: allowed topics under \"edgeloop/\"");
        assertForeign("edgeloop", "not an edgeloop topic: allowed topics under \"edgeloop/\"");
        assertForeign("edgeloopx/gate-01/status", "not an edgeloop topic: allowed topics under \"edgeloop/\"");
        assertForeign("edgeloop/gate-01/temperature", "not an edgeloop topic: " + shapes);
        assertForeign("edgeloop/gate-01", "not an edgeloop topic: " + shapes);
        assertForeign("edgeloop/gate-01/front/events/extra", "not an edgeloop topic: " + shapes);
        assertForeign("edgeloop/gate-01/front/status", "not an edgeloop topic: " + shapes);
        assertForeign("edgeloop/_fleet/status", "device id is \"_fleet\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63}"
                + " (1-64 ASCII letters, digits, '_' or '-', starting with a letter or digit)");
        assertForeign("edgeloop//status", "device id is \"\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII"
                + " letters, digits, '_' or '-', starting with a letter or digit)");
        assertForeign("edgeloop/gate-01/fr ont/events", "camera id is \"fr ont\", allowed"
                + " [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters, digits, '_' or '-', starting with a letter"
                + " or digit)");
    }

    private void assertForeign(String topic, String reason) {
        MessageRejectedException e = assertThrows(MessageRejectedException.class, () -> topics.parse(topic));
        assertEquals(topic + ": " + reason, e.getMessage());
        assertEquals(topic, e.topic());
        assertEquals(reason, e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "$SYS", "a/+/b", "a/#", "/edgeloop", "edgeloop/", "a//b", "a\0b"})
    void invalidPrefixesAreRejected(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Topics(prefix));
        assertTrue(e.getMessage().startsWith("topic prefix \"" + prefix + "\" "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", allowed 1 or more non-empty topic levels without + or #, not starting"
                + " with $, at most 1024 bytes"), e.getMessage());
    }

    @Test
    void prefixErrorsSayWhatIsWrong() {
        assertEquals("topic prefix \"a/+/b\" contains a wildcard, allowed 1 or more non-empty topic levels without"
                        + " + or #, not starting with $, at most 1024 bytes",
                assertThrows(IllegalArgumentException.class, () -> new Topics("a/+/b")).getMessage());
        assertEquals("topic prefix \"$SYS\" starts with $ (reserved for broker topics), allowed 1 or more non-empty"
                        + " topic levels without + or #, not starting with $, at most 1024 bytes",
                assertThrows(IllegalArgumentException.class, () -> new Topics("$SYS")).getMessage());
        assertEquals("topic prefix \"a//b\" has an empty level, allowed 1 or more non-empty topic levels without"
                        + " + or #, not starting with $, at most 1024 bytes",
                assertThrows(IllegalArgumentException.class, () -> new Topics("a//b")).getMessage());
    }

    @Test
    void buildersValidateIds() {
        assertEquals("device id is \"gate/01\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters,"
                        + " digits, '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> topics.status("gate/01")).getMessage());
        assertEquals("camera id is \"+\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters, digits,"
                        + " '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> topics.events("gate-01", "+")).getMessage());
        assertEquals("camera is \"front\", allowed none for STATUS", assertThrows(IllegalArgumentException.class,
                () -> new TopicAddress(TopicKind.STATUS, "gate-01", "front")).getMessage());
    }

    @Test
    void conventionsPerKind() {
        assertTrue(TopicKind.STATUS.retained());
        assertTrue(TopicKind.DEPLOY.retained());
        assertTrue(TopicKind.FLEET_DEPLOY.retained());
        assertTrue(TopicKind.DEPLOY_STATUS.retained());
        assertFalse(TopicKind.EVENTS.retained());
        assertFalse(TopicKind.HARD.retained());
        assertEquals(0, TopicKind.METRICS.qos());
        assertEquals(1, TopicKind.EVENTS.qos());
        assertEquals(HardExample.class, TopicKind.HARD.payloadType());
    }
}

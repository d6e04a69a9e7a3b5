package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.EventsConfig;
import org.junit.jupiter.api.Test;

class EventPolicyTest {

    private static final long S = 1_000_000_000L;

    @Test
    void onChangePublishesChangesAndHeartbeats() {
        EventPolicy p = new EventPolicy(EventsConfig.Mode.ON_CHANGE, 10);
        assertTrue(p.shouldPublish("cat", 0));
        assertFalse(p.shouldPublish("cat", 3 * S));
        assertTrue(p.shouldPublish("dog", 4 * S));
        assertFalse(p.shouldPublish("dog", 13 * S));
        assertTrue(p.shouldPublish("dog", 14 * S)); // heartbeat
    }

    @Test
    void everyFramePublishesAll() {
        EventPolicy p = new EventPolicy(EventsConfig.Mode.EVERY_FRAME, 10);
        assertTrue(p.shouldPublish("cat", 0));
        assertTrue(p.shouldPublish("cat", 1));
    }
}

package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.spool.SpooledMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventPublisherTest {

    private static SpooledMessage message(String text) {
        return new SpooledMessage("t", 1, false, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(List<SpooledMessage> messages) {
        return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void messagesAreBuiltOffTheCallerAndAppendedInOrder() throws Exception {
        List<SpooledMessage> sunk = new CopyOnWriteArrayList<>();
        List<String> builtOn = new CopyOnWriteArrayList<>();
        CameraMetrics metrics = new CameraMetrics("cam");
        EventPublisher publisher = new EventPublisher("cam", sunk::add, metrics);
        publisher.start();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            String text = "event-" + i;
            publisher.event(() -> {
                builtOn.add(Thread.currentThread().getName());
                return message(text);
            }, start, System.nanoTime(), Instant.now());
            if (i % 10 == 9) {
                publisher.hardExample(() -> message("hard-" + text));
            }
        }
        publisher.stop(5000);
        assertFalse(publisher.isAlive());
        assertEquals(55, sunk.size());
        assertEquals("event-9", texts(sunk).get(9));
        assertEquals("hard-event-9", texts(sunk).get(10), "a hard example follows the events handed over before it");
        assertEquals("event-10", texts(sunk).get(11));
        assertEquals(List.of("publish-cam"), builtOn.stream().distinct().toList());
        assertEquals(50, metrics.eventCount());
        assertEquals(5, metrics.hardExampleCount());
        assertEquals(50, metrics.latency(CameraMetrics.Stage.PUBLISH).count());
        assertEquals(50, metrics.latency(CameraMetrics.Stage.TOTAL).count());
    }

    @Test
    void aMessageThatFailsIsCountedAndTheNextOnesStillGo() throws Exception {
        List<SpooledMessage> sunk = new CopyOnWriteArrayList<>();
        CameraMetrics metrics = new CameraMetrics("cam");
        EventPublisher publisher = new EventPublisher("cam", m -> {
            if (new String(m.payload(), StandardCharsets.UTF_8).equals("bad")) {
                throw new IOException("disk full");
            }
            sunk.add(m);
        }, metrics);
        publisher.start();
        long now = System.nanoTime();
        publisher.event(() -> message("a"), now, now, Instant.now());
        publisher.event(() -> message("bad"), now, now, Instant.now());
        publisher.event(() -> {
            throw new IllegalStateException("cannot encode");
        }, now, now, Instant.now());
        publisher.event(() -> message("b"), now, now, Instant.now());
        publisher.stop(5000);
        assertEquals(List.of("a", "b"), texts(sunk));
        assertEquals(2, metrics.errorCount());
        assertEquals(2, metrics.eventCount());
    }

    /** A sink that falls behind fills the queue, then the caller (stage 2) waits: nothing is dropped. */
    @Test
    void aSlowSinkHoldsTheCallerBackInsteadOfDropping() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<SpooledMessage> sunk = new CopyOnWriteArrayList<>();
        EventPublisher publisher = new EventPublisher("cam", m -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sunk.add(m);
        }, new CameraMetrics("cam"));
        publisher.start();
        int total = EventPublisher.CAPACITY + 5;
        CountDownLatch handedOver = new CountDownLatch(total);
        Thread caller = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    String text = "m" + i;
                    publisher.hardExample(() -> message(text));
                    handedOver.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        // one message is held in the sink, CAPACITY wait in the queue; the caller blocks on the next
        assertFalse(handedOver.await(500, TimeUnit.MILLISECONDS));
        assertEquals(EventPublisher.CAPACITY + 1, total - handedOver.getCount());
        assertTrue(publisher.busy());
        release.countDown();
        assertTrue(handedOver.await(5, TimeUnit.SECONDS));
        caller.join();
        publisher.stop(5000);
        assertEquals(total, sunk.size());
        assertEquals("m" + (total - 1), texts(sunk).get(total - 1));
        assertFalse(publisher.busy());
    }
}

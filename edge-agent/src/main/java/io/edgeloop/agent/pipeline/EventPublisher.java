package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.spool.SpooledMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3 of a camera's pipeline, on thread {@code publish-<camera>}: builds the messages stage 2 decided on (event
 * JSON, hard examples) and appends them to the sink, in the order they were handed over, so that stage 2 returns to
 * inference as soon as it has a decision. Bounded: when the sink falls behind (a slow disk), the queue fills and
 * stage 2 waits; nothing is dropped here. A message that cannot be built or appended is counted as an error and
 * logged, like a failed frame.
 */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** Messages waiting; a few frames' worth, so a burst of disk latency does not stall inference at once. */
    static final int CAPACITY = 16;
    private static final long POLL_MILLIS = 100;

    /** A message still to be built: the work moved off the inference thread. */
    @FunctionalInterface
    interface Pending {
        SpooledMessage build() throws IOException;
    }

    /**
     * One hand-over.
     *
     * @param message    builds the message
     * @param event      whether it is a classification event (counted as one) or a hard example
     * @param frameStart when stage 1 began decoding the frame ({@link System#nanoTime()})
     * @param decided    when inference of the frame ended
     * @param capturedAt when the camera took the frame
     */
    private record Item(Pending message, boolean event, long frameStart, long decided, Instant capturedAt) {
    }

    private final String cameraId;
    private final EventSink sink;
    private final CameraMetrics metrics;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** Handed over and not yet appended (or failed): counted before the hand-over, so no observer misses one. */
    private final AtomicInteger unfinished = new AtomicInteger();

    EventPublisher(String cameraId, EventSink sink, CameraMetrics metrics) {
        this(cameraId, sink, metrics, CAPACITY);
    }

    /** With a queue of {@code capacity} messages (tests use small ones to reach the back-pressure quickly). */
    EventPublisher(String cameraId, EventSink sink, CameraMetrics metrics, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.cameraId = cameraId;
        this.sink = sink;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "publish-" + cameraId);
    }

    void start() {
        thread.start();
    }

    /**
     * Hands over an event; its frame's publish and total times and capture-to-result latency are recorded once it
     * is in the sink. Waits while the queue is full.
     */
    void event(Pending message, long frameStart, long decided, Instant capturedAt) throws InterruptedException {
        handOver(new Item(message, true, frameStart, decided, capturedAt));
    }

    /** Hands over a hard example, after the events handed over before it. Waits while the queue is full. */
    void hardExample(Pending message) throws InterruptedException {
        handOver(new Item(message, false, 0, 0, null));
    }

    private void handOver(Item item) throws InterruptedException {
        unfinished.incrementAndGet();
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    /** Whether a message is waiting or being appended. */
    boolean busy() {
        return unfinished.get() > 0;
    }

    private void loop() {
        try {
            while (true) {
                Item item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (!running) {
                        return;
                    }
                    continue;
                }
                try {
                    publish(item);
                } finally {
                    unfinished.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(Item item) {
        try {
            sink.publish(item.message().build());
        } catch (IOException | RuntimeException e) {
            metrics.error();
            LOG.warn("camera {}: cannot queue a message for delivery: {}", cameraId, e.toString());
            return;
        } catch (Error e) {
            // e.g. out of memory building one message: that message is lost (counted), the stage goes on
            metrics.frameFailed(e);
            LOG.error("camera {}: cannot build a message: {}", cameraId, e.toString());
            return;
        }
        if (item.event()) {
            metrics.event();
            metrics.frameDone(item.frameStart(), item.decided(), item.capturedAt());
        } else {
            metrics.hardExample();
        }
    }

    /** Nothing more will be handed over: the thread ends once the queue is empty. */
    void finish() {
        running = false;
    }

    /**
     * Appends what was handed over, then ends the thread; waits up to the timeout for that. The thread is not
     * interrupted: an interrupt inside a spool append would close the spool's file channel.
     */
    void stop(long timeoutMillis) throws InterruptedException {
        finish();
        thread.join(Math.max(1, timeoutMillis));
        if (thread.isAlive()) {
            LOG.warn("camera {}: still appending {} messages to the spool at stop", cameraId, unfinished.get());
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}

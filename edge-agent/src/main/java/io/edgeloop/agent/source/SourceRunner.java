package io.edgeloop.agent.source;

import io.edgeloop.protocol.retry.Backoff;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one camera's source on its own thread: when the source fails it is restarted after an exponential backoff
 * with jitter (counted in {@link #failures()}); when it ends normally the runner stops. A failing camera never
 * affects other cameras.
 */
public final class SourceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRunner.class);

    private final String cameraId;
    private final FrameSource source;
    private final FrameSlot slot;
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean finished;
    private volatile String lastError;

    public SourceRunner(String cameraId, FrameSource source, FrameSlot slot, long initialMillis, long maxMillis,
            Random random) {
        this.cameraId = cameraId;
        this.source = source;
        this.slot = slot;
        this.backoff = new Backoff(initialMillis, maxMillis, random);
        this.thread = new Thread(this::loop, "source-" + cameraId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (!stopping) {
                long before = slot.offered();
                try {
                    source.stream(slot);
                    LOG.info("camera {}: source {} ended", cameraId, source.describe());
                    finished = true;
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (stopping) {
                        return;
                    }
                    failures.incrementAndGet();
                    lastError = e.getMessage() != null ? e.getMessage() : e.toString();
                    if (slot.offered() > before) {
                        backoff.reset();
                    }
                    long delay = backoff.nextDelayMillis();
                    LOG.warn("camera {}: source {} failed ({}); retry in {} ms", cameraId, source.describe(),
                            lastError, delay);
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            slot.close();
        }
    }

    /** Passes a swapped-in model's preprocessing to the source (see {@link FrameSource#modelChanged}). */
    public void modelChanged(PreprocessSpec preprocess) {
        source.modelChanged(preprocess);
    }

    /** Times the source failed and was restarted. */
    public long failures() {
        return failures.get();
    }

    /** The latest failure message, or null. */
    public String lastError() {
        return lastError;
    }

    /** Whether the source ended normally (nothing more will come). */
    public boolean finished() {
        return finished;
    }

    /** Stops the source: aborts its I/O and waits up to the timeout for the thread. */
    public void stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        source.close();
        thread.interrupt();
        thread.join(timeoutMillis);
    }
}

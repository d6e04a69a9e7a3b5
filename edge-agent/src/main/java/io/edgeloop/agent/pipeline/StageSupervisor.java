package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.protocol.retry.Backoff;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one camera stage's loop running as {@link io.edgeloop.agent.source.SourceRunner} keeps a source running:
 * when the loop dies of anything but an interrupt (an {@code OrtException} opening tensors, a bug, an
 * {@code Error} outside a frame) it is counted in {@link CameraMetrics#stageRestarted}, logged, and run again after
 * an exponential backoff with jitter, until the worker stops. A loop that returns normally is done.
 */
final class StageSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(StageSupervisor.class);
    static final long INITIAL_MILLIS = 100;
    static final long MAX_MILLIS = 10_000;

    /** A stage's loop; returns when the stage is done for good. */
    @FunctionalInterface
    interface Loop {
        void run() throws Exception;
    }

    private final String cameraId;
    private final String stage;
    private final CameraMetrics metrics;
    private final Backoff backoff;

    StageSupervisor(String cameraId, String stage, CameraMetrics metrics, Random random) {
        this.cameraId = cameraId;
        this.stage = stage;
        this.metrics = metrics;
        this.backoff = new Backoff(INITIAL_MILLIS, MAX_MILLIS, random);
    }

    /**
     * Runs {@code loop} until it returns, restarting it after failures while {@code running} holds.
     *
     * @throws InterruptedException when interrupted, in the loop or during a backoff
     */
    void run(Loop loop, BooleanSupplier running) throws InterruptedException {
        while (true) {
            long before = metrics.classifiedCount();
            try {
                loop.run();
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | Error e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                metrics.stageRestarted(stage);
                if (metrics.classifiedCount() > before) {
                    backoff.reset(); // it worked for a while: a new failure, not the same one again
                }
                long delay = backoff.nextDelayMillis();
                LOG.error("camera {}: {} stage died ({}); restarting it in {} ms", cameraId, stage, e, delay);
                Thread.sleep(delay);
            }
        }
    }
}

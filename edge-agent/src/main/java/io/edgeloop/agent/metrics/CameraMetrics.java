package io.edgeloop.agent.metrics;

import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One camera's counters and stage latencies, written by its worker and read by the metrics publisher.
 * Thread-safe without locks.
 */
public final class CameraMetrics {

    /** Pipeline stages whose duration is measured per frame. */
    /**
     * The timed parts of a frame: {@code PUBLISH} runs from the end of inference until the frame's event is in the
     * spool (decision, hand-over to the camera's publish thread, JSON, append), or until stage 2 is done with a
     * frame that gets no event; {@code TOTAL} from the start of decoding to the same point; {@code
     * CAPTURE_TO_RESULT} from the camera's capture time.
     */
    public enum Stage { DECODE, PREPROCESS, INFERENCE, PUBLISH, TOTAL, CAPTURE_TO_RESULT }

    private final String cameraId;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong classified = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong hardExamples = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<ImageRejectedException.Reason, AtomicLong> rejected =
            new EnumMap<>(ImageRejectedException.Reason.class);
    private final Map<Stage, LatencyHistogram> latency = new EnumMap<>(Stage.class);
    private final AtomicReference<PredictionTally> predictions = new AtomicReference<>();
    private final Map<String, AtomicLong> frameFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> stageRestarts = new ConcurrentHashMap<>();

    public CameraMetrics(String cameraId) {
        this.cameraId = cameraId;
        for (ImageRejectedException.Reason r : ImageRejectedException.Reason.values()) {
            rejected.put(r, new AtomicLong());
        }
        for (Stage s : Stage.values()) {
            latency.put(s, new LatencyHistogram());
        }
    }

    public String cameraId() {
        return cameraId;
    }

    public void frame() {
        frames.incrementAndGet();
    }

    public void classified() {
        classified.incrementAndGet();
    }

    /**
     * Counts a classified frame's top-1 label and confidence in the tally of the model that classified it; a frame
     * of another model than the previous one starts reporting that model's tally (drift telemetry is per model).
     */
    public void predicted(PredictionTally tally, String topLabel, double confidence) {
        if (predictions.get() != tally) {
            predictions.set(tally);
        }
        tally.record(topLabel, confidence);
    }

    /** The counters of the model the camera used last, or {@code null} before its first classified frame. */
    public PredictionTally.Snapshot predictions() {
        PredictionTally t = predictions.get();
        return t == null ? null : t.snapshot();
    }

    public void event() {
        events.incrementAndGet();
    }

    public void hardExample() {
        hardExamples.incrementAndGet();
    }

    /** A frame that failed after decoding (inference or publishing error). */
    public void error() {
        errors.incrementAndGet();
    }

    /**
     * A frame (or a message of it) that failed with an {@link Error}, such as an {@code OutOfMemoryError} while
     * decoding: contained to that frame and counted by the error's class name.
     */
    public void frameFailed(Error error) {
        frameFailures.computeIfAbsent(error.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
    }

    /** A camera stage ({@code prepare}, {@code infer}) whose loop died and was restarted. */
    public void stageRestarted(String stage) {
        stageRestarts.computeIfAbsent(stage, k -> new AtomicLong()).incrementAndGet();
    }

    /** Frames that failed with an {@link Error}, by its class name (only non-zero ones). */
    public Map<String, Long> frameFailures() {
        return counts(frameFailures);
    }

    /** Stage restarts by stage name (only non-zero ones). */
    public Map<String, Long> stageRestarts() {
        return counts(stageRestarts);
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void rejected(ImageRejectedException.Reason reason) {
        rejected.get(reason).incrementAndGet();
    }

    /** Time from frame capture to the decision published (what the fleet sees as latency). */
    public void captureToResult(long nanos) {
        latency.get(Stage.CAPTURE_TO_RESULT).record(nanos);
    }

    /**
     * A frame is done (its event is in the spool, or it gets none): records {@link Stage#PUBLISH} from the end of
     * inference, {@link Stage#TOTAL} from the start of decoding and {@link Stage#CAPTURE_TO_RESULT} from capture.
     *
     * @param frameStartNanos when decoding began ({@link System#nanoTime()})
     * @param decidedNanos    when inference ended ({@link System#nanoTime()})
     * @param capturedAt      when the camera took the frame
     */
    public void frameDone(long frameStartNanos, long decidedNanos, Instant capturedAt) {
        long now = System.nanoTime();
        time(Stage.PUBLISH, now - decidedNanos);
        time(Stage.TOTAL, now - frameStartNanos);
        captureToResult(Math.max(0, Duration.between(capturedAt, Instant.now()).toNanos()));
    }

    public void time(Stage stage, long nanos) {
        latency.get(stage).record(nanos);
    }

    public long frames() {
        return frames.get();
    }

    public long classifiedCount() {
        return classified.get();
    }

    public long eventCount() {
        return events.get();
    }

    public long hardExampleCount() {
        return hardExamples.get();
    }

    public long errorCount() {
        return errors.get();
    }

    public long rejectedCount(ImageRejectedException.Reason reason) {
        return rejected.get(reason).get();
    }

    /** Rejections by reason (only non-zero ones), lower-case reason names. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejected.forEach((r, c) -> {
            if (c.get() > 0) {
                out.put(r.name().toLowerCase(java.util.Locale.ROOT), c.get());
            }
        });
        return out;
    }

    public LatencyHistogram.Snapshot latency(Stage stage) {
        return latency.get(stage).snapshot();
    }
}

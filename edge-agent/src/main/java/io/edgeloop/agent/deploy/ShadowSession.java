package io.edgeloop.agent.deploy;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate model running beside the active one: the cameras offer their classified frames ({@link ShadowTap});
 * a share of them ({@code rate}) is queued for the candidate on one thread of its own with a queue of
 * {@value #QUEUE} frames. When that queue is full the frame is skipped and counted, never waited for, so the active
 * path is not delayed. The candidate decodes and preprocesses the frame its own way, runs, and its top-1 label is
 * compared with the active model's ({@link ShadowTally}); a disagreement goes back to the camera as a hard-example
 * candidate. A clock reports the tally every {@code reportSeconds} and ends the session when its seconds or frames
 * are done. The session owns one inference context; the runtime belongs to whoever created the session.
 */
public final class ShadowSession implements ShadowTap, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowSession.class);
    /** Frames waiting for the candidate at most: a few frames' bytes, whatever the camera rate. */
    static final int QUEUE = 2;

    /** What the session tells its owner, on the session's clock thread. */
    public interface Listener {
        /** An interim report. */
        void report(ShadowSession session, ShadowReport report);

        /** The seconds or frames are done (called once). */
        void done(ShadowSession session);
    }

    private final ShadowRequest request;
    private final ModelRuntime candidate;
    private final ImagePreprocessor preprocessor;
    private final ImageDecoder decoder;
    private final InferenceContext context;
    private final ShadowTally tally;
    private final Listener listener;
    private final ThreadPoolExecutor runner;
    private final ScheduledExecutorService clock;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicBoolean done = new AtomicBoolean();
    private final long deadlineNanos;
    private volatile boolean stopped;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShadowSession(ShadowRequest request, ModelRuntime candidate, List<String> activeLabels,
            ImageDecoder decoder, Listener listener) throws OrtException {
        this.request = request;
        this.candidate = candidate;
        this.preprocessor = new ImagePreprocessor(candidate.spec().preprocess());
        this.decoder = decoder;
        this.context = candidate.newContext();
        this.tally = new ShadowTally(activeLabels);
        this.listener = listener;
        this.deadlineNanos = request.seconds() == null ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.SECONDS.toNanos(request.seconds());
        this.runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "shadow");
            t.setDaemon(true);
            // the candidate yields to the cameras' threads where the OS honours priorities
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        }, (r, e) -> skipped.incrementAndGet());
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shadow-clock");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a session on the candidate's runtime (which must have the active model's labels, in any order).
     *
     * @throws OrtException if the candidate's tensors cannot be created
     */
    public static ShadowSession start(ShadowRequest request, ModelRuntime candidate, List<String> activeLabels,
            ImageDecoder decoder, Listener listener) throws OrtException {
        ShadowSession s = new ShadowSession(request, candidate, activeLabels, decoder, listener);
        long tick = Math.min(TimeUnit.SECONDS.toMillis(request.reportSeconds()), 200);
        long every = TimeUnit.SECONDS.toNanos(request.reportSeconds());
        long[] next = {System.nanoTime() + every};
        s.clock.scheduleWithFixedDelay(() -> s.tick(next, every), tick, tick, TimeUnit.MILLISECONDS);
        return s;
    }

    private void tick(long[] next, long every) {
        try {
            long now = System.nanoTime();
            boolean finished = now >= deadlineNanos
                    || request.frames() != null && tally.compared() >= request.frames();
            if (finished) {
                if (done.compareAndSet(false, true)) {
                    stopped = true;
                    listener.done(this);
                }
                return;
            }
            if (now >= next[0]) {
                next[0] = now + every;
                listener.report(this, report());
            }
        } catch (RuntimeException e) {
            LOG.warn("shadow of {} {}: report failed: {}", candidate.spec().name(), candidate.spec().version(),
                    e.toString());
        }
    }

    /** The candidate's runtime. */
    public ModelRuntime candidate() {
        return candidate;
    }

    public ShadowRequest request() {
        return request;
    }

    /** The comparison so far. */
    public ShadowReport report() {
        return tally.report(skipped.get());
    }

    @Override
    public void offer(Frame frame, Classification active, Disagreements disagreed) {
        if (stopped) {
            return;
        }
        long n = offered.getAndIncrement();
        // every frame whose running share crosses an integer: exactly rate × frames, evenly spread
        if ((long) Math.floor((n + 1) * request.rate()) == (long) Math.floor(n * request.rate())) {
            return;
        }
        try {
            runner.execute(() -> compare(frame, active, disagreed));
        } catch (RuntimeException e) {
            // shut down meanwhile: the session is ending
            skipped.incrementAndGet();
        }
    }

    /** On the shadow thread: the candidate's top-1 label for the frame against the active one's. */
    private void compare(Frame frame, Classification active, Disagreements disagreed) {
        if (stopped || request.frames() != null && tally.compared() >= request.frames()) {
            return;
        }
        try {
            FloatBuffer input = context.input();
            input.clear();
            BufferedImage image = null;
            if (frame.encoded() != null) {
                image = decoder.decode(frame.encoded(), "shadow/" + frame.cameraId() + "/" + frame.name());
                preprocessor.preprocess(image, input);
            } else {
                preprocessor.preprocessRgb(frame.rgb(), frame.width(), frame.height(), input);
            }
            float[] scores = context.run();
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            String label = candidate.spec().labels().get(best);
            if (!tally.add(active.topLabel(), label)) {
                disagreed.disagreed(frame, active, image);
            }
        } catch (ImageRejectedException e) {
            LOG.debug("shadow: frame {} rejected: {}", frame.name(), e.getMessage());
        } catch (OrtException | RuntimeException e) {
            tally.error();
            LOG.debug("shadow: frame {} failed in the candidate: {}", frame.name(), e.toString());
        }
    }

    /** Inference errors of the candidate so far. */
    public long errors() {
        return tally.errors();
    }

    /**
     * Stops taking frames, waits (bounded) for the one being compared and closes the session's tensors; the
     * candidate's runtime stays open for its owner to promote or close.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopped = true;
        clock.shutdownNow();
        runner.shutdownNow();
        try {
            if (!runner.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("shadow: the candidate did not finish its frame in 5 s");
            }
            clock.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}

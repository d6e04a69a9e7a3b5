package io.edgeloop.agent.pipeline;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.deploy.ShadowTap;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.hard.HardExampleSelector;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics.Stage;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.source.FrameSlot;
import io.edgeloop.protocol.mqtt.LatencyBreakdown;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's inference pipeline in three stages on three threads, so decoding the next frame and publishing the
 * last decision overlap inference of the current one. Stage 1 ({@code prepare-<camera>}) takes the latest frame,
 * decodes it (rejections counted by reason) and preprocesses it into one of two preallocated input buffers; stage 2
 * ({@code worker-<camera>}) runs the shared session on the filled buffer, postprocesses, decides on an event and a
 * hard example, and returns the buffer; stage 3 ({@code publish-<camera>}, {@link EventPublisher}) builds those
 * messages and appends them to the sink, in order. The buffers travel through two bounded queues (filled and
 * free), so a frame allocates no tensors, and no image either for colour JPEGs: each buffer keeps its last decoded
 * image and the next frame of the same size is decoded into it ({@link ImageDecoder#decodeReusing}). Stage 1 takes
 * a frame from the {@link FrameSlot} only when it has a free buffer: a frame replaced meanwhile still counts as
 * dropped there. A bad frame never stops the pipeline: rejections, exceptions and {@link Error}s (an
 * {@code OutOfMemoryError} while decoding) are contained to that frame and counted, and a stage whose loop dies
 * anyway is restarted by a {@link StageSupervisor} with a backoff. On stop stage 1 finishes the frame it is
 * preparing, stage 2 the frames already prepared and stage 3 the messages handed over.
 *
 * <p>The model is a {@link LiveModel}: before preparing a frame stage 1 checks whether another runtime was swapped
 * in and, if so, waits until stage 2 has returned every buffer of the old model, closes them with the old lease and
 * opens a new buffer pair sized for the new model with its preprocessing, labels and model reference.
 */
public final class CameraWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);
    private static final long POLL_MILLIS = 100;

    /**
     * Fixed per-camera settings of a worker.
     *
     * @param hardExamples     this camera's hard-example settings (the global block with the camera's applied)
     * @param thumbnailMaxSide longest side of event thumbnails, or 0 for none
     */
    public record Settings(String cameraId, HardExamplesConfig hardExamples, int thumbnailMaxSide) {
    }

    /** Builds the per-model parts of a camera's pipeline when a model is (re)loaded. */
    public interface Parts {
        /** The decision rules for a model's labels and output. */
        Postprocessor postprocessor(ModelSpec spec);

        /** The message builder stamping events with this model. */
        EventMessages messages(ModelSpec spec);
    }

    private final Settings settings;
    private final FrameSlot slot;
    private final LiveModel model;
    private final Parts parts;
    private final ImageDecoder decoder;
    private final EventPolicy policy;
    private final HardExampleSelector hard;
    private final CameraMetrics metrics;
    private final EventPublisher publisher;
    // buffers filled by stage 1, in order; and buffers stage 2 is done with. Two buffers exist, so neither blocks.
    private final BlockingQueue<StagedFrame> filled = new ArrayBlockingQueue<>(ServedModel.BUFFERS);
    private final BlockingQueue<StagedFrame> free = new ArrayBlockingQueue<>(ServedModel.BUFFERS);
    private final ShadowTap shadow;
    /** Frames a shadow candidate disagreed on, from its thread; stage 2 takes them as hard-example candidates. */
    private final BlockingQueue<Disagreement> disagreements = new ArrayBlockingQueue<>(4);
    private final Thread prepareThread;
    private final Thread inferThread;
    private volatile boolean running = true;
    // stage 1's model: written by stage 1 only, closed by stage 2 once stage 1 is done
    private volatile ServedModel served;
    private volatile boolean prepareDone;
    /** The buffer stage 1 holds (written by stage 1 only): kept across a restart of its loop. */
    private StagedFrame held;
    private final StageSupervisor prepareSupervisor;
    private final StageSupervisor inferSupervisor;
    private volatile boolean preparing;
    private volatile boolean inferring;
    private volatile Classification last;
    private volatile Frame lastFrame;
    private long seq;

    public CameraWorker(Settings settings, FrameSlot slot, LiveModel model, ImageDecoder decoder, Parts parts,
            EventPolicy policy, CameraMetrics metrics, EventSink sink) {
        this(settings, slot, model, decoder, parts, policy, metrics, sink, EventPublisher.CAPACITY, ShadowTap.NONE);
    }

    /** With frames offered to a shadow deploy through {@code shadow}. */
    public CameraWorker(Settings settings, FrameSlot slot, LiveModel model, ImageDecoder decoder, Parts parts,
            EventPolicy policy, CameraMetrics metrics, EventSink sink, ShadowTap shadow) {
        this(settings, slot, model, decoder, parts, policy, metrics, sink, EventPublisher.CAPACITY, shadow);
    }

    /** A frame the shadow candidate classified differently. */
    private record Disagreement(Frame frame, Classification active, BufferedImage image) {
    }

    /** With stage 3's queue holding {@code publishCapacity} messages. */
    CameraWorker(Settings settings, FrameSlot slot, LiveModel model, ImageDecoder decoder, Parts parts,
            EventPolicy policy, CameraMetrics metrics, EventSink sink, int publishCapacity) {
        this(settings, slot, model, decoder, parts, policy, metrics, sink, publishCapacity, ShadowTap.NONE);
    }

    private CameraWorker(Settings settings, FrameSlot slot, LiveModel model, ImageDecoder decoder, Parts parts,
            EventPolicy policy, CameraMetrics metrics, EventSink sink, int publishCapacity, ShadowTap shadow) {
        this.shadow = shadow;
        this.settings = settings;
        this.slot = slot;
        this.model = model;
        this.parts = parts;
        this.decoder = decoder;
        this.policy = policy;
        this.hard = new HardExampleSelector(settings.hardExamples(), settings.cameraId());
        this.metrics = metrics;
        this.publisher = new EventPublisher(settings.cameraId(), sink, metrics, publishCapacity);
        Random random = new Random(settings.cameraId().hashCode());
        this.prepareSupervisor = new StageSupervisor(settings.cameraId(), "prepare", metrics, random);
        this.inferSupervisor = new StageSupervisor(settings.cameraId(), "infer", metrics, random);
        this.prepareThread = new Thread(this::prepareLoop, "prepare-" + settings.cameraId());
        this.inferThread = new Thread(this::inferLoop, "worker-" + settings.cameraId());
    }

    /** Starts both stages. */
    public void start() {
        // busy from the start, so no observer sees "slot empty and worker idle" before stage 1 first looks
        preparing = true;
        publisher.start();
        inferThread.start();
        prepareThread.start();
    }

    /** The latest decision, or null before the first frame. */
    public Classification last() {
        return last;
    }

    public CameraMetrics metrics() {
        return metrics;
    }

    /** The camera's hard-example selector, for its counters. */
    public HardExampleSelector hardExamples() {
        return hard;
    }

    /** The last frame taken, or null: a real input for a new model's smoke test. */
    public Frame lastFrame() {
        return lastFrame;
    }

    /** Stage 1: frame slot to filled buffers; its loop is restarted by a supervisor if it dies. */
    private void prepareLoop() {
        try {
            prepareSupervisor.run(this::prepareFrames, () -> running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prepareDone = true;
            preparing = false;
        }
    }

    /**
     * Stage 1's loop; returns when the worker stops or the source is exhausted, throws when the stage cannot go on
     * (tensors cannot be created, a bug): the supervisor then restarts it, with the buffer it held.
     */
    private void prepareFrames() throws OrtException, InterruptedException {
        while (running) {
            StagedFrame buffer = held;
            preparing = true;
            if (served != null && buffer == null) {
                buffer = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                held = buffer;
                if (buffer == null) {
                    continue;
                }
            }
            Frame frame = slot.take(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (frame == null) {
                if (slot.exhausted()) {
                    // the source ended for good (a replay without loop): nothing more will come
                    LOG.info("camera {}: source finished, worker done", settings.cameraId());
                    return;
                }
                if (served != null && served.stale()) {
                    // an idle camera lets a replaced session close now, not at its next frame
                    retire(buffer);
                    held = null;
                }
                continue;
            }
            if (served == null || served.stale()) {
                // between frames: move to the swapped-in model, then let the old one go
                retire(buffer);
                held = null;
                ServedModel next = ServedModel.open(model, parts);
                served = next;
                LOG.info("camera {}: serving model {} {}", settings.cameraId(), next.spec().name(),
                        next.spec().version());
                buffer = next.buffers().get(0);
                held = buffer;
                for (StagedFrame other : next.buffers().subList(1, next.buffers().size())) {
                    free.add(other);
                }
            }
            lastFrame = frame;
            if (prepare(frame, buffer)) {
                filled.add(buffer);
                held = null;
            }
        }
    }

    /**
     * Waits until stage 2 has returned every buffer of the current model except the one stage 1 holds, then closes
     * the model. Stage 2 returns each buffer after one frame, so the wait is bounded by the frames in flight.
     */
    private void retire(StagedFrame held) throws InterruptedException {
        ServedModel old = served;
        if (old == null) {
            return;
        }
        int back = held != null ? 1 : 0;
        // (stage 2 only ends after stage 1; if it died anyway, nothing holds the buffers any more)
        while (back < ServedModel.BUFFERS && inferThread.isAlive()) {
            if (free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS) != null) {
                back++;
            }
        }
        served = null;
        old.close();
    }

    /** Stage 1 for one frame: decode and preprocess into the buffer; false (counted) if the frame is rejected. */
    private boolean prepare(Frame frame, StagedFrame buffer) {
        metrics.frame();
        long t0 = System.nanoTime();
        long decodeNanos = 0;
        long preprocessNanos;
        BufferedImage image = null;
        FloatBuffer input = buffer.context().input();
        input.clear();
        ImagePreprocessor preprocessor = buffer.model().preprocessor();
        try {
            if (frame.encoded() != null) {
                image = decoder.decodeReusing(frame.encoded(), settings.cameraId() + "/" + frame.name(),
                        buffer.decodeTarget());
                long t1 = System.nanoTime();
                decodeNanos = t1 - t0;
                metrics.time(Stage.DECODE, decodeNanos);
                preprocessor.preprocess(image, input);
                preprocessNanos = System.nanoTime() - t1;
            } else {
                preprocessor.preprocessRgb(frame.rgb(), frame.width(), frame.height(), input);
                preprocessNanos = System.nanoTime() - t0;
            }
            metrics.time(Stage.PREPROCESS, preprocessNanos);
        } catch (ImageRejectedException e) {
            metrics.rejected(e.reason());
            LOG.debug("camera {}: frame rejected: {}", settings.cameraId(), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            metrics.rejected(ImageRejectedException.Reason.CORRUPT);
            LOG.debug("camera {}: frame {} failed preprocessing: {}", settings.cameraId(), frame.name(), e.toString());
            return false;
        } catch (Error e) {
            // e.g. out of memory on a frame the limits let through: only this frame is lost; its pixels are garbage
            // now, and the buffer's reusable image may be half written, so it is dropped too
            buffer.dropDecodeTarget();
            metrics.frameFailed(e);
            LOG.error("camera {}: frame {} failed while decoding or preprocessing: {}", settings.cameraId(),
                    frame.name(), e.toString());
            return false;
        }
        buffer.filled(frame, image, t0, decodeNanos, preprocessNanos);
        return true;
    }

    /**
     * Stage 2: filled buffers to events, until stage 1 is done and nothing is left; then closes the model. Its loop
     * is restarted by a supervisor if it dies.
     */
    private void inferLoop() {
        try {
            inferSupervisor.run(this::inferFrames, () -> !prepareDone || !filled.isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inferring = false;
            // stage 3 appends what stage 2 handed over, then ends too
            publisher.finish();
            if (prepareDone) {
                ServedModel s = served;
                if (s != null) {
                    served = null;
                    s.close();
                }
            }
        }
    }

    private void inferFrames() throws InterruptedException {
        try {
            while (true) {
                // busy from before the take, so no observer sees "queue empty and stage 2 idle" mid hand-off
                inferring = true;
                StagedFrame buffer = filled.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (buffer == null) {
                    inferring = false;
                    if (prepareDone && filled.isEmpty()) {
                        return;
                    }
                    continue;
                }
                try {
                    infer(buffer);
                } finally {
                    buffer.clear();
                    free.add(buffer);
                    inferring = false;
                }
            }
        } finally {
            inferring = false;
        }
    }

    /**
     * Stage 2 for one frame: inference and the decision; the messages it calls for are built and appended by the
     * {@link EventPublisher}. Never throws for a bad frame.
     */
    private void infer(StagedFrame staged) throws InterruptedException {
        Frame frame = staged.frame();
        BufferedImage image = staged.image();
        ServedModel owner = staged.model();
        InferenceContext context = staged.context();
        long t0 = staged.startNanos();
        try {
            long t2 = System.nanoTime();
            float[] scores = context.run();
            long t3 = System.nanoTime();
            metrics.time(Stage.INFERENCE, t3 - t2);
            Classification c = owner.postprocessor().apply(scores);
            last = c;
            long frameSeq = seq++;
            metrics.classified();
            metrics.predicted(owner.tally(), c.topLabel(), c.score());
            EventMessages messages = owner.messages();
            boolean event = policy.shouldPublish(c.label(), t3);
            if (event) {
                LatencyBreakdown latency = new LatencyBreakdown(millis(staged.decodeNanos()),
                        millis(staged.preprocessNanos()), millis(t3 - t2));
                // the thumbnail needs the frame's pixels, which stage 1 reuses once this buffer is returned
                byte[] thumbnail = settings.thumbnailMaxSide() > 0
                        ? jpeg(image != null ? image : toImage(frame), settings.thumbnailMaxSide(), 75) : null;
                publisher.event(() -> messages.event(frameSeq, frame.capturedAt(), c, latency, frame.groundTruth(),
                        thumbnail), t0, t3, frame.capturedAt());
            }
            // the shadow's verdict on this frame comes later, from its own thread (see disagreements)
            int fired = hard.fired(c, false);
            if (fired != 0) {
                BufferedImage img = image != null ? image : toImage(frame);
                HardExampleSelector.Choice choice = hard.accept(fired, () -> DifferenceHash.of(img),
                        System.currentTimeMillis());
                if (choice != null) {
                    byte[] jpeg = jpeg(img, settings.hardExamples().maxSide(), settings.hardExamples().jpegQuality());
                    publisher.hardExample(() -> messages.hardExample(frameSeq, frame.capturedAt(), c, choice.reason(),
                            choice.reasons(), jpeg));
                }
            }
            if (!event) {
                metrics.frameDone(t0, t3, frame.capturedAt()); // no message: the frame is done here
            }
            // after the frame's messages are handed over: the candidate never delays the active path
            shadow.offer(frame, c, (f, active, img) -> disagreements.offer(new Disagreement(f, active, img)));
            for (Disagreement d; (d = disagreements.poll()) != null; ) {
                disagreement(d, messages);
            }
        } catch (OrtException | IOException | RuntimeException e) {
            metrics.error();
            LOG.warn("camera {}: frame {} failed: {}", settings.cameraId(), frame.name(), e.toString());
        } catch (Error e) {
            metrics.frameFailed(e);
            LOG.error("camera {}: frame {} failed with {}", settings.cameraId(), frame.name(), e.toString());
        }
    }

    /** A frame the shadow disagreed on: the disagreement selector alone decides (the frame's own ran already). */
    private void disagreement(Disagreement d, EventMessages messages) throws IOException, InterruptedException {
        int fired = hard.firedDisagreement();
        if (fired == 0) {
            return;
        }
        BufferedImage img = d.image() != null ? d.image() : toImage(d.frame());
        HardExampleSelector.Choice choice = hard.accept(fired, () -> DifferenceHash.of(img),
                System.currentTimeMillis());
        if (choice != null) {
            byte[] jpeg = jpeg(img, settings.hardExamples().maxSide(), settings.hardExamples().jpegQuality());
            long frameSeq = seq++;
            publisher.hardExample(() -> messages.hardExample(frameSeq, d.frame().capturedAt(), d.active(),
                    choice.reason(), choice.reasons(), jpeg));
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    static BufferedImage toImage(Frame frame) {
        int w = frame.width();
        int h = frame.height();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[w * h];
        byte[] rgb = frame.rgb();
        for (int i = 0, p = 0; i < pixels.length; i++, p += 3) {
            pixels[i] = ((rgb[p] & 0xFF) << 16) | ((rgb[p + 1] & 0xFF) << 8) | (rgb[p + 2] & 0xFF);
        }
        image.setRGB(0, 0, w, h, pixels, 0, w);
        return image;
    }

    /** Encodes an image as JPEG, scaled down to at most {@code maxSide}. */
    static byte[] jpeg(BufferedImage image, int maxSide, int quality) throws IOException {
        BufferedImage out = image;
        int side = Math.max(image.getWidth(), image.getHeight());
        if (side > maxSide) {
            int w = Math.max(1, image.getWidth() * maxSide / side);
            int h = Math.max(1, image.getHeight() * maxSide / side);
            out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            var g = out.createGraphics();
            try {
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(out, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Asks the worker to stop: stage 1 after the frame it is preparing, stage 2 after the frames already prepared
     * (at most two), stage 3 after the messages handed over. Waits up to the timeout in total for the three threads.
     */
    public void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        prepareThread.join(timeoutMillis);
        inferThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        // stage 3 ends after stage 2 (which may still hand over) with what it was given
        publisher.stop(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    /** Whether the worker may hold a frame (preparing, prepared, or inferring); false once it is idle for good. */
    public boolean busy() {
        // read in hand-off order, so a frame moving from one stage to the next is seen in one of them
        return preparing || !filled.isEmpty() || inferring || publisher.busy();
    }

    /** Whether either stage's thread is still running. */
    public boolean isAlive() {
        return prepareThread.isAlive() || inferThread.isAlive() || publisher.isAlive();
    }
}

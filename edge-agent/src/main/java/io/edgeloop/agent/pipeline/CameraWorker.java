package io.edgeloop.agent.pipeline;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.LatencyBreakdown;
import io.edgeloop.agent.hard.DifferenceHash;
import io.edgeloop.agent.hard.HardExampleSelector;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.metrics.CameraMetrics.Stage;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.source.FrameSlot;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's inference loop on its own thread: takes the latest frame, decodes (rejections counted by reason),
 * preprocesses into its preallocated input tensor, runs the shared session, postprocesses, and hands events and
 * hard examples to the sink. A bad frame never stops the loop. On stop it finishes the frame in flight.
 *
 * <p>The model is a {@link LiveModel}: between frames the worker checks whether another runtime was swapped in and,
 * if so, moves to it (new tensors, preprocessing, labels and model reference in events) and releases the old one,
 * which closes once no worker holds it.
 */
public final class CameraWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);

    /** Fixed per-camera settings of a worker. */
    /**
     * @param thumbnailMaxSide longest side of event thumbnails, or 0 for none
     */
    public record Settings(String cameraId, HardExamplesConfig hardExamples, int thumbnailMaxSide) {
    }

    private final Settings settings;
    private final FrameSlot slot;
    /** Builds the per-model parts of a camera's pipeline when a model is (re)loaded. */
    public interface Parts {
        /** The decision rules for a model's labels and output. */
        Postprocessor postprocessor(ModelSpec spec);

        /** The message builder stamping events with this model. */
        EventMessages messages(ModelSpec spec);
    }

    private final LiveModel model;
    private final Parts parts;
    private final ImageDecoder decoder;
    // the worker thread's current model parts, replaced together when the live model changes
    private ImagePreprocessor preprocessor;
    private Postprocessor postprocessor;
    private EventMessages messages;
    private final EventPolicy policy;
    private final HardExampleSelector hard;
    private final CameraMetrics metrics;
    private final EventSink sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Classification last;
    private volatile boolean busy;
    private volatile Frame lastFrame;
    private long seq;

    public CameraWorker(Settings settings, FrameSlot slot, LiveModel model, ImageDecoder decoder, Parts parts,
            EventPolicy policy, CameraMetrics metrics, EventSink sink) {
        this.settings = settings;
        this.slot = slot;
        this.model = model;
        this.parts = parts;
        this.decoder = decoder;
        this.policy = policy;
        this.hard = new HardExampleSelector(settings.hardExamples());
        this.metrics = metrics;
        this.sink = sink;
        this.thread = new Thread(this::loop, "worker-" + settings.cameraId());
    }

    public void start() {
        thread.start();
    }

    /** The latest decision, or null before the first frame. */
    public Classification last() {
        return last;
    }

    public CameraMetrics metrics() {
        return metrics;
    }

    /** The last frame taken, or null: a real input for a new model's smoke test. */
    public Frame lastFrame() {
        return lastFrame;
    }

    private void loop() {
        LiveModel.Lease lease = null;
        InferenceContext context = null;
        try {
            while (running) {
                // busy from before the take, so no observer sees "slot empty and worker idle" mid hand-off
                busy = true;
                Frame frame = slot.take(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    try {
                        if (lease == null || lease.stale()) {
                            // between frames: move to the swapped-in model, then let the old one go
                            LiveModel.Lease next = model.acquire();
                            InferenceContext nextContext;
                            try {
                                nextContext = next.runtime().newContext();
                                use(next.runtime().spec());
                            } catch (OrtException | RuntimeException e) {
                                next.close();
                                throw e;
                            }
                            if (context != null) {
                                context.close();
                            }
                            if (lease != null) {
                                lease.close();
                            }
                            lease = next;
                            context = nextContext;
                        }
                        lastFrame = frame;
                        process(frame, context);
                    } finally {
                        busy = false;
                    }
                } else if (slot.exhausted()) {
                    busy = false;
                    // the source ended for good (a replay without loop): nothing more will come
                    LOG.info("camera {}: source finished, worker done", settings.cameraId());
                    return;
                } else if (lease != null && lease.stale()) {
                    // an idle camera lets a replaced session close now, not at its next frame
                    context.close();
                    context = null;
                    lease.close();
                    lease = null;
                }
            }
        } catch (OrtException e) {
            LOG.error("camera {}: cannot create inference tensors: {}", settings.cameraId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            busy = false;
            if (context != null) {
                context.close();
            }
            if (lease != null) {
                lease.close();
            }
        }
    }

    private void use(ModelSpec spec) {
        Postprocessor post = parts.postprocessor(spec);
        EventMessages msgs = parts.messages(spec);
        ImagePreprocessor pre = new ImagePreprocessor(spec.preprocess());
        postprocessor = post;
        messages = msgs;
        preprocessor = pre;
        LOG.info("camera {}: serving model {} {}", settings.cameraId(), spec.name(), spec.version());
    }

    /** Runs one frame through the pipeline; never throws for a bad frame. */
    void process(Frame frame, InferenceContext context) {
        metrics.frame();
        long t0 = System.nanoTime();
        long decodeNanos = 0;
        long preprocessNanos;
        BufferedImage image = null;
        FloatBuffer input = context.input();
        input.clear();
        try {
            if (frame.encoded() != null) {
                image = decoder.decode(frame.encoded(), settings.cameraId() + "/" + frame.name());
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
            return;
        } catch (RuntimeException e) {
            metrics.rejected(ImageRejectedException.Reason.CORRUPT);
            LOG.debug("camera {}: frame {} failed preprocessing: {}", settings.cameraId(), frame.name(), e.toString());
            return;
        }
        try {
            long t2 = System.nanoTime();
            float[] scores = context.run();
            long t3 = System.nanoTime();
            metrics.time(Stage.INFERENCE, t3 - t2);
            Classification c = postprocessor.apply(scores);
            last = c;
            long frameSeq = seq++;
            metrics.classified();
            if (policy.shouldPublish(c.label(), t3)) {
                LatencyBreakdown latency = new LatencyBreakdown(millis(decodeNanos), millis(preprocessNanos),
                        millis(t3 - t2));
                byte[] thumbnail = null;
                if (settings.thumbnailMaxSide() > 0) {
                    thumbnail = jpeg(image != null ? image : toImage(frame), settings.thumbnailMaxSide(), 75);
                }
                sink.publish(messages.event(frameSeq, frame.capturedAt(), c, latency, frame.groundTruth(),
                        thumbnail));
                metrics.event();
            }
            HardExampleReason reason = hard.uncertainty(c);
            if (reason != null) {
                BufferedImage img = image != null ? image : toImage(frame);
                long hash = DifferenceHash.of(img);
                if (hard.accept(hash, System.currentTimeMillis())) {
                    byte[] jpeg = jpeg(img, settings.hardExamples().maxSide(), settings.hardExamples().jpegQuality());
                    sink.publish(messages.hardExample(frameSeq, frame.capturedAt(), c, reason, jpeg));
                    metrics.hardExample();
                }
            }
            long t4 = System.nanoTime();
            metrics.time(Stage.PUBLISH, t4 - t3);
            metrics.time(Stage.TOTAL, t4 - t0);
            metrics.captureToResult(Math.max(0, java.time.Duration.between(frame.capturedAt(),
                    java.time.Instant.now()).toNanos()));
        } catch (OrtException | IOException | RuntimeException e) {
            metrics.error();
            LOG.warn("camera {}: frame {} failed: {}", settings.cameraId(), frame.name(), e.toString());
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

    /** Asks the worker to stop after the frame in flight and waits up to the timeout. */
    public void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        thread.join(timeoutMillis);
    }

    /** Whether the worker may hold a frame (processing it, or in the hand-off); false once it is idle for good. */
    public boolean busy() {
        return busy;
    }

    /** Whether the worker thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }
}

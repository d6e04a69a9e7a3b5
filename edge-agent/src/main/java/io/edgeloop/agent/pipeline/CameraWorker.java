package io.edgeloop.agent.pipeline;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.event.AgentTopics;
import io.edgeloop.agent.event.Payloads;
import io.edgeloop.agent.hard.DifferenceHash;
import io.edgeloop.agent.hard.HardExampleSelector;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.metrics.CameraMetrics.Stage;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.source.FrameSlot;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 */
public final class CameraWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);

    /** Fixed per-camera settings of a worker. */
    public record Settings(String deviceId, String cameraId, String runId, String modelVersion, int eventsQos,
            AgentTopics topics, HardExamplesConfig hardExamples) {
    }

    private final Settings settings;
    private final FrameSlot slot;
    private final ModelRuntime runtime;
    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor;
    private final Postprocessor postprocessor;
    private final EventPolicy policy;
    private final HardExampleSelector hard;
    private final CameraMetrics metrics;
    private final EventSink sink;
    private final Payloads payloads;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Classification last;
    private long seq;
    private long hardSeq;

    public CameraWorker(Settings settings, FrameSlot slot, ModelRuntime runtime, ImageDecoder decoder,
            Postprocessor postprocessor, EventPolicy policy, CameraMetrics metrics, EventSink sink,
            Payloads payloads) {
        this.settings = settings;
        this.slot = slot;
        this.runtime = runtime;
        this.decoder = decoder;
        this.preprocessor = new ImagePreprocessor(runtime.spec().preprocess());
        this.postprocessor = postprocessor;
        this.policy = policy;
        this.hard = new HardExampleSelector(settings.hardExamples());
        this.metrics = metrics;
        this.sink = sink;
        this.payloads = payloads;
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

    private void loop() {
        try (InferenceContext context = runtime.newContext()) {
            while (running) {
                Frame frame = slot.take(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    process(frame, context);
                }
            }
        } catch (OrtException e) {
            LOG.error("camera {}: cannot create inference tensors: {}", settings.cameraId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one frame through the pipeline; never throws for a bad frame. */
    void process(Frame frame, InferenceContext context) {
        metrics.frame();
        long t0 = System.nanoTime();
        BufferedImage image = null;
        FloatBuffer input = context.input();
        input.clear();
        try {
            if (frame.encoded() != null) {
                image = decoder.decode(frame.encoded(), settings.cameraId() + "/" + frame.name());
                long t1 = System.nanoTime();
                metrics.time(Stage.DECODE, t1 - t0);
                preprocessor.preprocess(image, input);
                metrics.time(Stage.PREPROCESS, System.nanoTime() - t1);
            } else {
                preprocessor.preprocessRgb(frame.rgb(), frame.width(), frame.height(), input);
                metrics.time(Stage.PREPROCESS, System.nanoTime() - t0);
            }
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
            metrics.classified();
            if (policy.shouldPublish(c.label(), t3)) {
                sink.publish(eventMessage(frame, c, (t3 - t0) / 1e6));
                metrics.event();
            }
            if (hard.uncertain(c)) {
                BufferedImage img = image != null ? image : toImage(frame);
                long hash = DifferenceHash.of(img);
                if (hard.accept(hash, System.currentTimeMillis())) {
                    sink.publish(hardMessage(frame, c, img, hash));
                    metrics.hardExample();
                }
            }
            long t4 = System.nanoTime();
            metrics.time(Stage.PUBLISH, t4 - t3);
            metrics.time(Stage.TOTAL, t4 - t0);
        } catch (OrtException | IOException | RuntimeException e) {
            metrics.error();
            LOG.warn("camera {}: frame {} failed: {}", settings.cameraId(), frame.name(), e.toString());
        }
    }

    private SpooledMessage eventMessage(Frame frame, Classification c, double latencyMs) {
        Payloads.ClassificationEvent event = new Payloads.ClassificationEvent(Payloads.EVENT_SCHEMA,
                settings.deviceId(), settings.cameraId(), settings.runId(), ++seq, frame.capturedAt().toString(),
                c.label(), Payloads.round(c.score()), c.unknown(), scores(c), settings.modelVersion(), frame.name(),
                frame.groundTruth(), Math.round(latencyMs * 1000) / 1000.0);
        return new SpooledMessage(settings.topics().events(settings.cameraId()), settings.eventsQos(), false,
                payloads.encode(event));
    }

    private SpooledMessage hardMessage(Frame frame, Classification c, BufferedImage image, long hash)
            throws IOException {
        byte[] jpeg = jpeg(image, settings.hardExamples().maxSide(), settings.hardExamples().jpegQuality());
        Payloads.HardExample h = new Payloads.HardExample(Payloads.HARD_SCHEMA, settings.deviceId(),
                settings.cameraId(), settings.runId(), ++hardSeq, Instant.now().toString(), c.label(),
                Payloads.round(c.score()), Payloads.round(c.margin()), scores(c), settings.modelVersion(),
                frame.name(), String.format("%016x", hash), Base64.getEncoder().encodeToString(jpeg));
        return new SpooledMessage(settings.topics().hard(settings.cameraId()), 1, false, payloads.encode(h));
    }

    private static List<Payloads.Score> scores(Classification c) {
        List<Payloads.Score> out = new ArrayList<>(c.top().size());
        for (Classification.Ranked r : c.top()) {
            out.add(new Payloads.Score(r.label(), Payloads.round(r.score())));
        }
        return out;
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

    /** Whether the worker thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }
}

package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.EventsConfig;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.source.FrameSlot;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.PredictionStats;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-stage camera worker against a real ONNX Runtime session: order, overlap, drops, shutdown, model swap. */
class CameraWorkerTest {

    private static final List<Color> COLOURS = List.of(Color.RED, Color.GREEN, Color.BLUE);

    @TempDir
    Path tmp;

    private final List<ClassificationEvent> events = new CopyOnWriteArrayList<>();

    private ModelRuntime open(String version, int size) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve(version + ".onnx"), false, size);
        PreprocessSpec pre = new PreprocessSpec(ResizePolicy.EXACT, size, size, List.of(0.0, 0.0, 0.0),
                List.of(1.0, 1.0, 1.0), 1.0 / 255.0, ColourOrder.RGB);
        return ModelRuntime.open(new ModelSpec(onnx, "colour", version, null, ColourModel.LABELS, pre, null, null,
                OutputKind.LOGITS, 1.0), 1, Optimization.ALL);
    }

    private CameraWorker worker(FrameSlot slot, LiveModel live, CameraMetrics metrics, EventSink sink) {
        return worker(slot, live, metrics, sink, EventPublisher.CAPACITY);
    }

    private CameraWorker worker(FrameSlot slot, LiveModel live, CameraMetrics metrics, EventSink sink,
            int publishCapacity) {
        CameraWorker.Parts parts = new CameraWorker.Parts() {
            @Override
            public Postprocessor postprocessor(ModelSpec s) {
                return new Postprocessor(s.labels(), s.outputKind(), s.temperature(), 2, 0.5, Map.of());
            }

            @Override
            public EventMessages messages(ModelSpec s) {
                return new EventMessages(new Topics("edgeloop"), "dev1", "cam1",
                        new ModelRef(s.name(), s.version(), s.sha256()), 1, "0123456789abcdef");
            }
        };
        return new CameraWorker(new CameraWorker.Settings("cam1", HardExamplesConfig.DEFAULT, 0), slot, live,
                new ImageDecoder(DecodeLimits.DEFAULT), parts,
                new EventPolicy(EventsConfig.Mode.EVERY_FRAME, 60), metrics, sink, publishCapacity);
    }

    private EventSink collecting() {
        return m -> {
            try {
                events.add(Payloads.decode(m.payload(), ClassificationEvent.class));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Frame {@code i} of a red, green, blue cycle, labelled with its colour and named by its index. */
    private static Frame frame(int i, int side) throws Exception {
        Color c = COLOURS.get(i % 3);
        return Frame.encoded("cam1", Images.solid(c, side, side, "png"), "f" + i, ColourModel.LABELS.get(i % 3));
    }

    private static void await(String what, BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void everyFrameBecomesAnEventInOrderWhenTheSourceWaits() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        try (LiveModel live = new LiveModel(open("a", ColourModel.SIZE))) {
            CameraWorker worker = worker(slot, live, metrics, collecting());
            worker.start();
            for (int i = 0; i < 30; i++) {
                slot.putWhenFree(frame(i, 40));
            }
            slot.close();
            await("the worker to finish its source", () -> !worker.isAlive(), 10_000);
            assertFalse(worker.busy());
            assertEquals(30, events.size());
            for (int i = 0; i < 30; i++) {
                ClassificationEvent e = events.get(i);
                assertEquals(i, e.seq());
                assertEquals(ColourModel.LABELS.get(i % 3), e.label(), "frame f" + i);
                assertEquals(e.label(), e.groundTruth());
            }
            assertEquals(30, metrics.frames());
            assertEquals(30, metrics.classifiedCount());
            assertEquals(0, metrics.errorCount());
            assertEquals(0, slot.dropped());
            assertEquals(30, metrics.latency(CameraMetrics.Stage.DECODE).count());
            assertEquals(30, metrics.latency(CameraMetrics.Stage.PREPROCESS).count());
            assertEquals(30, metrics.latency(CameraMetrics.Stage.INFERENCE).count());
            assertEquals(30, metrics.latency(CameraMetrics.Stage.TOTAL).count());
            // drift telemetry counted every frame's top-1 label and confidence for the model that classified it
            PredictionStats predicted = metrics.predictions().since(null);
            assertEquals(ModelRef.of("colour", "a"), predicted.model());
            assertEquals(Map.of("red", 10L, "green", 10L, "blue", 10L), predicted.classes());
            assertEquals(30, predicted.confidence().stream().mapToLong(Long::longValue).sum());
            // the worker released its lease when it ended: a swap closes the old runtime at once
            live.swap(open("b", ColourModel.SIZE));
            assertEquals(1, live.openRuntimes());
        }
    }

    @Test
    void aRejectedFrameKeepsItsBufferAndTheNextFramesFlow() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        try (LiveModel live = new LiveModel(open("a", ColourModel.SIZE))) {
            CameraWorker worker = worker(slot, live, metrics, collecting());
            worker.start();
            slot.putWhenFree(frame(0, 40));
            slot.putWhenFree(Frame.encoded("cam1", new byte[0], "empty", null));
            slot.putWhenFree(Frame.encoded("cam1", "not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "text", null));
            for (int i = 1; i < 6; i++) {
                slot.putWhenFree(frame(i, 40));
            }
            slot.close();
            await("the worker to finish its source", () -> !worker.isAlive(), 10_000);
            List<String> got = new ArrayList<>();
            for (ClassificationEvent e : events) {
                got.add(e.seq() + ":" + e.label());
            }
            assertEquals(List.of("0:red", "1:green", "2:blue", "3:red", "4:green", "5:blue"), got);
            assertEquals(8, metrics.frames());
            assertEquals(1, metrics.rejectedCount(ImageRejectedException.Reason.EMPTY));
            assertEquals(1, metrics.rejectedCount(ImageRejectedException.Reason.UNSUPPORTED_FORMAT)
                    + metrics.rejectedCount(ImageRejectedException.Reason.CORRUPT));
            assertEquals(6, metrics.latency(CameraMetrics.Stage.INFERENCE).count());
            assertEquals(0, metrics.errorCount());
        }
    }

    /**
     * The sink is stuck: stage 3 holds the first event, its queue (one message here) fills, then stage 2 waits on
     * it; stage 1 still prepares one frame ahead into the second buffer, and after that frames wait in the slot,
     * where the latest replaces the one before (a drop). Nothing is lost once the sink moves again.
     */
    @Test
    void stagesRunAheadByOneBufferAndTheSlotKeepsOnlyTheLatest() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventSink collect = collecting();
        EventSink blockFirst = m -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            collect.publish(m);
        };
        try (LiveModel live = new LiveModel(open("a", ColourModel.SIZE))) {
            CameraWorker worker = worker(slot, live, metrics, blockFirst, 1);
            worker.start();
            slot.offerLatest(frame(0, 40));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "stage 3 reached the sink");
            // frame 1's event fills stage 3's queue; frame 2's hand-over blocks stage 2
            slot.offerLatest(frame(1, 40));
            await("stage 2 to classify frame 1", () -> metrics.classifiedCount() == 2, 5_000);
            slot.offerLatest(frame(2, 40));
            await("stage 2 to classify frame 2", () -> metrics.classifiedCount() == 3, 5_000);
            // stage 2 holds one buffer: stage 1 prepares frame 3 into the other
            slot.offerLatest(frame(3, 40));
            await("stage 1 to prepare frame 3", () -> metrics.latency(CameraMetrics.Stage.PREPROCESS).count() == 4,
                    5_000);
            // both buffers are taken: frame 4 waits in the slot, and frame 5 replaces it (a drop)
            slot.offerLatest(frame(4, 40));
            Thread.sleep(300);
            assertTrue(slot.waiting(), "no third buffer: frame 4 must still wait in the slot");
            assertEquals(4, metrics.frames());
            assertEquals(3, metrics.classifiedCount(), "stage 2 waits for stage 3");
            slot.offerLatest(frame(5, 40));
            assertEquals(1, slot.dropped());
            assertTrue(worker.busy());
            release.countDown();
            slot.close();
            await("the worker to finish its source", () -> !worker.isAlive(), 10_000);
            List<String> names = new ArrayList<>();
            for (ClassificationEvent e : events) {
                names.add(e.seq() + ":" + e.label());
            }
            assertEquals(List.of("0:red", "1:green", "2:blue", "3:red", "4:blue"), names);
            assertEquals(5, metrics.frames());
            assertEquals(5, metrics.eventCount());
            assertEquals(0, metrics.errorCount());
            assertFalse(worker.busy());
        }
    }

    @Test
    void stopEndsBothStagesPromptlyAndReleasesTheModel() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        try (LiveModel live = new LiveModel(open("a", ColourModel.SIZE))) {
            CameraWorker worker = worker(slot, live, metrics, collecting());
            worker.start();
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        slot.offerLatest(frame(i, 40));
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            feeder.start();
            try {
                await("20 events", () -> events.size() >= 20, 10_000);
                long t0 = System.nanoTime();
                worker.stop(2_000);
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertFalse(worker.isAlive(), "both stages ended");
                assertTrue(stopMillis < 1_000, "stop took " + stopMillis + " ms");
            } finally {
                feeder.interrupt();
                feeder.join(2_000);
            }
            int after = events.size();
            Thread.sleep(200);
            assertEquals(after, events.size(), "no event after stop returned");
            assertFalse(worker.busy());
            assertEquals(metrics.classifiedCount(), events.size());
            live.swap(open("b", ColourModel.SIZE));
            assertEquals(1, live.openRuntimes(), "the stopped worker holds no lease");
        }
    }

    @Test
    void aSwapToAnotherInputSizeMovesStageOneToTheNewPreprocessing() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        try (LiveModel live = new LiveModel(open("a", ColourModel.SIZE))) {
            CameraWorker worker = worker(slot, live, metrics, collecting());
            worker.start();
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        slot.putWhenFree(frame(i, 40));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            feeder.start();
            try {
                await("10 events of model a", () -> events.size() >= 10, 10_000);
                // 48×48 input: a buffer of the old size would fail in ORT (or be mis-read)
                live.swap(open("b", 48));
                await("10 events of model b",
                        () -> events.stream().filter(e -> e.model().version().equals("b")).count() >= 10, 10_000);
                assertEquals(1, live.openRuntimes(), "the old runtime closed once both of its buffers were back");
                worker.stop(2_000);
                assertFalse(worker.isAlive());
            } finally {
                feeder.interrupt();
                feeder.join(2_000);
            }
            int firstB = -1;
            for (int i = 0; i < events.size(); i++) {
                ClassificationEvent e = events.get(i);
                assertEquals(i, e.seq(), "no frame lost or reordered across the swap");
                assertEquals(e.groundTruth(), e.label(), "frame " + i + " of model " + e.model().version());
                if (firstB < 0 && e.model().version().equals("b")) {
                    firstB = i;
                }
                if (firstB >= 0) {
                    assertEquals("b", e.model().version(), "event " + i + " after the swap");
                }
            }
            assertTrue(firstB >= 10);
            assertEquals(0, metrics.errorCount());
            assertEquals(Map.of(), metrics.rejectedByReason().entrySet().stream().filter(e -> e.getValue() > 0)
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        }
    }
}

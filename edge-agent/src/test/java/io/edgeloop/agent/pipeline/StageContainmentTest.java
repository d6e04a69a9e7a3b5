package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.EventsConfig;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.deploy.ShadowTap;
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
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors on a camera's stages are contained to their frame and counted; a stage whose loop dies is restarted. */
class StageContainmentTest {

    @TempDir
    Path tmp;

    private final AtomicLong events = new AtomicLong();

    private LiveModel model() throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), false, ColourModel.SIZE);
        PreprocessSpec pre = new PreprocessSpec(ResizePolicy.EXACT, ColourModel.SIZE, ColourModel.SIZE,
                List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), 1.0 / 255.0, ColourOrder.RGB);
        return new LiveModel(ModelRuntime.open(new ModelSpec(onnx, "colour", "1", null, ColourModel.LABELS, pre, null,
                null, OutputKind.LOGITS, 1.0), 1, Optimization.ALL));
    }

    /** Parts whose first {@code failures} postprocessor calls throw: opening the model's buffers fails. */
    private static CameraWorker.Parts parts(AtomicInteger failures) {
        return new CameraWorker.Parts() {
            @Override
            public Postprocessor postprocessor(ModelSpec s) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("injected: cannot build the postprocessor");
                }
                return new Postprocessor(s.labels(), s.outputKind(), s.temperature(), 2, 0.5, Map.of());
            }

            @Override
            public EventMessages messages(ModelSpec s) {
                return new EventMessages(new Topics("edgeloop"), "dev1", "cam1",
                        new ModelRef(s.name(), s.version(), s.sha256()), 1, "0123456789abcdef");
            }
        };
    }

    private CameraWorker worker(FrameSlot slot, LiveModel live, CameraMetrics metrics, AtomicInteger failures,
            ShadowTap shadow) {
        return new CameraWorker(new CameraWorker.Settings("cam1", HardExamplesConfig.DEFAULT, 0), slot, live,
                new ImageDecoder(DecodeLimits.DEFAULT), parts(failures),
                new EventPolicy(EventsConfig.Mode.EVERY_FRAME, 60), metrics, m -> events.incrementAndGet(), shadow);
    }

    private static Frame frame(int i) throws Exception {
        Color c = List.of(Color.RED, Color.GREEN, Color.BLUE).get(i % 3);
        return Frame.encoded("cam1", Images.solid(c, 40, 30, "png"), "f" + i, null);
    }

    private static void offerWhenFree(FrameSlot slot, Frame frame) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slot.waiting() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        slot.offerLatest(frame);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anErrorThrownOnTheInferenceStageIsContainedToItsFrameAndCounted() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        AtomicInteger offered = new AtomicInteger();
        ShadowTap failing = (frame, active, disagreed) -> {
            if (offered.incrementAndGet() == 2) {
                throw new StackOverflowError("injected into frame f1");
            }
        };
        try (LiveModel live = model()) {
            CameraWorker worker = worker(slot, live, metrics, new AtomicInteger(), failing);
            worker.start();
            for (int i = 0; i < 6; i++) {
                slot.putWhenFree(frame(i));
            }
            slot.close();
            await("the worker to finish its source", () -> !worker.isAlive());
            assertEquals(Map.of("StackOverflowError", 1L), metrics.frameFailures());
            assertEquals(Map.of(), metrics.stageRestarts());
            // f1 was classified before the error (its event handed over); every later frame still was
            assertEquals(6, metrics.classifiedCount());
            assertEquals(6, events.get());
        }
    }

    @Test
    void anErrorBuildingAMessageIsContainedAndCounted() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        AtomicLong appended = new AtomicLong();
        try (LiveModel live = model()) {
            CameraWorker worker = new CameraWorker(new CameraWorker.Settings("cam1", HardExamplesConfig.DEFAULT, 0),
                    slot, live, new ImageDecoder(DecodeLimits.DEFAULT), parts(new AtomicInteger()),
                    new EventPolicy(EventsConfig.Mode.EVERY_FRAME, 60), metrics, m -> {
                        if (appended.incrementAndGet() == 3) {
                            throw new OutOfMemoryError("injected into the third message");
                        }
                    });
            worker.start();
            for (int i = 0; i < 5; i++) {
                slot.putWhenFree(frame(i));
            }
            slot.close();
            await("the worker to finish its source", () -> !worker.isAlive());
            assertEquals(Map.of("OutOfMemoryError", 1L), metrics.frameFailures());
            assertEquals(5, metrics.classifiedCount());
            assertEquals(4, metrics.eventCount());
            assertEquals(5, appended.get());
        }
    }

    @Test
    void aDeadPrepareStageIsRestartedAndLaterFramesAreClassified() throws Exception {
        FrameSlot slot = new FrameSlot();
        CameraMetrics metrics = new CameraMetrics("cam1");
        // the first two attempts to open the model's buffers fail: stage 1's loop dies twice
        AtomicInteger failures = new AtomicInteger(2);
        try (LiveModel live = model()) {
            CameraWorker worker = worker(slot, live, metrics, failures, ShadowTap.NONE);
            worker.start();
            for (int i = 0; i < 40 && metrics.classifiedCount() < 3; i++) {
                offerWhenFree(slot, frame(i));
                Thread.sleep(20);
            }
            await("three classified frames", () -> metrics.classifiedCount() >= 3);
            assertEquals(Map.of("prepare", 2L), metrics.stageRestarts());
            assertTrue(worker.isAlive());
            slot.close();
            worker.stop(10_000);
        }
    }
}

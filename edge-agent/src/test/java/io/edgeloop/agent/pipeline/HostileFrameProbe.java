package io.edgeloop.agent.pipeline;

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
import io.edgeloop.agent.testing.LargePng;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in its own JVM by {@link HostileFrameTest} (with the systemd unit's {@code -Xmx384m}): one camera worker with
 * the default decode limits gets a valid 7000×7000 PNG, then three good frames, and prints what became of them as
 * {@code key=value} lines.
 */
public final class HostileFrameProbe {

    private HostileFrameProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int side = Integer.parseInt(args[1]);
        // "unlimited": no decode memory budget, as before it existed, so the decode runs out of memory
        DecodeLimits limits = args.length > 2 && args[2].equals("unlimited")
                ? DecodeLimits.DEFAULT.withMaxDecodeMemory(Long.MAX_VALUE, "none") : DecodeLimits.DEFAULT;
        Path onnx = ColourModel.write(dir.resolve("colour.onnx"), false, ColourModel.SIZE);
        PreprocessSpec pre = new PreprocessSpec(ResizePolicy.EXACT, ColourModel.SIZE, ColourModel.SIZE,
                List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), 1.0 / 255.0, ColourOrder.RGB);
        ModelSpec spec = new ModelSpec(onnx, "colour", "1", null, ColourModel.LABELS, pre, null, null,
                OutputKind.LOGITS, 1.0);
        AtomicLong events = new AtomicLong();
        CameraMetrics metrics = new CameraMetrics("cam1");
        FrameSlot slot = new FrameSlot();
        byte[] huge = LargePng.solid(side, side, 255, 0, 0);
        System.out.println("hugeBytes=" + huge.length);
        try (LiveModel live = new LiveModel(ModelRuntime.open(spec, 1, Optimization.ALL))) {
            CameraWorker worker = new CameraWorker(new CameraWorker.Settings("cam1", HardExamplesConfig.DEFAULT, 0),
                    slot, live, new ImageDecoder(limits), parts(),
                    new EventPolicy(EventsConfig.Mode.EVERY_FRAME, 60), metrics, m -> events.incrementAndGet());
            worker.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            put(slot, Frame.encoded("cam1", huge, "huge.png", null), worker, deadline);
            huge = null;
            List<Color> good = List.of(Color.RED, Color.GREEN, Color.BLUE);
            for (int i = 0; i < good.size(); i++) {
                put(slot, Frame.encoded("cam1", Images.solid(good.get(i), 64, 48, "png"), "good" + i, null), worker,
                        deadline);
            }
            while (metrics.classifiedCount() < good.size() && worker.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println("alive=" + worker.isAlive());
            slot.close();
            worker.stop(10_000);
        }
        System.out.println("frames=" + metrics.frames());
        System.out.println("classified=" + metrics.classifiedCount());
        System.out.println("events=" + events.get());
        System.out.println("rejected=" + metrics.rejectedByReason());
        System.out.println("errors=" + metrics.errorCount());
        System.out.println("frameFailures=" + metrics.frameFailures());
        System.out.println("stageRestarts=" + metrics.stageRestarts());
        System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    }

    /** Offers the frame once the slot is free; gives up when the worker died (it would never take it) or at the end. */
    private static void put(FrameSlot slot, Frame frame, CameraWorker worker, long deadline)
            throws InterruptedException {
        while (slot.waiting() && worker.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        slot.offerLatest(frame);
    }

    private static CameraWorker.Parts parts() {
        return new CameraWorker.Parts() {
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
    }
}

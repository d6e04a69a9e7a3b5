package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import ai.onnx.proto.OnnxMl;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping runtimes under leases, and the smoke test. */
class LiveModelTest {

    @TempDir
    Path tmp;

    private ModelRuntime open(String version) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve(version + ".onnx"), false);
        return ModelRuntime.open(new ModelSpec(onnx, "colour", version, null, ColourModel.LABELS,
                ColourModel.PREPROCESS, null, null, OutputKind.LOGITS, 1.0), 1, Optimization.ALL);
    }

    @Test
    void replacedRuntimeClosesWhenItsLastLeaseIsReleased() throws Exception {
        ModelRuntime first = open("1");
        ModelRuntime second = open("2");
        try (LiveModel live = new LiveModel(first)) {
            LiveModel.Lease a = live.acquire();
            LiveModel.Lease b = live.acquire();
            assertSame(first, a.runtime());
            assertFalse(a.stale());
            assertSame(first, live.swap(second));
            assertSame(second, live.current());
            assertTrue(a.stale());
            // two workers still hold the old session: it stays open and usable for their frames in flight
            assertEquals(2, live.openRuntimes());
            try (InferenceContext c = first.newContext()) {
                c.run();
            }
            try (InferenceContext held = first.newContext()) {
                a.close();
                a.close();
                assertEquals(2, live.openRuntimes());
                held.run();
                b.close();
                assertEquals(1, live.openRuntimes());
                // the old session is closed now
                assertThrows(IllegalStateException.class, held::run);
            }
            try (LiveModel.Lease c = live.acquire()) {
                assertSame(second, c.runtime());
            }
            assertEquals(1, live.openRuntimes());
        }
    }

    @Test
    void unleasedRuntimeClosesAtOnce() throws Exception {
        ModelRuntime first = open("1");
        try (LiveModel live = new LiveModel(first)) {
            live.swap(open("2"));
            assertEquals(1, live.openRuntimes());
        }
    }

    @Test
    void smokeTestRefusesNonFiniteScores() throws Exception {
        // means / means: 0/0 = NaN on an all-zeros input, fine on real frames
        Path plain = ColourModel.write(tmp.resolve("plain.onnx"), false);
        OnnxMl.ModelProto colour = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain));
        OnnxMl.GraphProto.Builder g = colour.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setInput(0, "ratio"));
        g.addNode(1, OnnxMl.NodeProto.newBuilder().setOpType("Div").setName("div").addInput("means")
                .addInput("means").addOutput("ratio"));
        Path nan = Files.write(tmp.resolve("nan.onnx"), colour.toBuilder().setGraph(g).build().toByteArray());
        try (ModelRuntime runtime = ModelRuntime.open(new ModelSpec(nan, "colour", "nan", null, ColourModel.LABELS,
                ColourModel.PREPROCESS, null, null, OutputKind.LOGITS, 1.0), 1, Optimization.ALL)) {
            DeployRejectedException e = assertThrows(DeployRejectedException.class,
                    () -> new SmokeTest(new ImageDecoder(DecodeLimits.DEFAULT)).run(runtime, List.of()));
            assertEquals("smoke test failed: score 0 is NaN on a zeros input, allowed a finite number",
                    e.getMessage());
        }
    }

    @Test
    void smokeTestRunsZerosAndRecentFrames() throws Exception {
        try (ModelRuntime runtime = open("1")) {
            SmokeTest smoke = new SmokeTest(new ImageDecoder(DecodeLimits.DEFAULT));
            Frame red = Frame.encoded("cam1", Images.solid(Color.RED, 64, 48, "png"), "red.png", null);
            Frame broken = Frame.encoded("cam2", new byte[] {1, 2, 3}, "broken.png", null);
            assertEquals(1, smoke.run(runtime, List.of()));
            // an undecodable frame is skipped, not a reason to refuse the model
            assertEquals(2, smoke.run(runtime, List.of(red, broken)));
        }
    }
}

package io.edgeloop.agent.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.SourceConfig;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay, folder and ffmpeg sources, and the latest-frame slot. */
class LocalSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void replayOfAnImageFolderTreeCarriesTheGroundTruth() throws Exception {
        Images.write(tmp.resolve("b/2.png"), Color.RED, "png");
        Images.write(tmp.resolve("a/1.png"), Color.RED, "png");
        Images.write(tmp.resolve("a/.hidden.png"), Color.RED, "png");
        Files.writeString(tmp.resolve("a/notes.txt"), "x");
        CollectingSink sink = new CollectingSink(100);
        new ReplaySource("cam", tmp, 0, false).stream(sink);
        assertEquals(List.of("1.png", "2.png"), sink.frames.stream().map(Frame::name).toList());
        assertEquals(List.of("a", "b"), sink.frames.stream().map(Frame::groundTruth).toList());
    }

    @Test
    void replayLoopsAtItsFrameRate() throws Exception {
        Images.write(tmp.resolve("1.png"), Color.RED, "png");
        Images.write(tmp.resolve("2.png"), Color.RED, "png");
        CollectingSink sink = new CollectingSink(6);
        long t0 = System.nanoTime();
        assertThrows(InterruptedException.class, () -> new ReplaySource("cam", tmp, 50, true).stream(sink));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(6, sink.frames.size());
        assertNull(sink.frames.get(0).groundTruth());
        assertTrue(seconds >= 0.09, "6 frames at 50 fps took " + seconds + " s");
    }

    @Test
    void replayOfAMissingOrEmptyDirectoryFailsClearly() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> new ReplaySource("cam", tmp.resolve("nope"), 0, false).stream(new CollectingSink(1)));
        assertEquals(tmp.resolve("nope") + ": replay directory not found", e.getMessage());
        e = assertThrows(IOException.class, () -> new ReplaySource("cam", tmp, 0, false).stream(new CollectingSink(1)));
        assertEquals(tmp + ": no images (.jpg, .jpeg, .png, .bmp) to replay", e.getMessage());
    }

    @Test
    void folderSourceTakesNewFilesOnceAndMovesThem() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path done = tmp.resolve("done");
        FolderSource source = new FolderSource("cam", in, SourceConfig.After.MOVE, done, 20);
        FrameSlot slot = new FrameSlot();
        SourceRunner runner = new SourceRunner("cam", source, slot, 10, 100, new Random(1));
        Images.write(in.resolve("first.jpg"), Color.RED, "jpg");
        runner.start();
        try {
            Frame f1 = slot.take(5, TimeUnit.SECONDS);
            assertEquals("first.jpg", f1.name());
            Images.write(in.resolve("second.png"), Color.GREEN, "png");
            Frame f2 = slot.take(5, TimeUnit.SECONDS);
            assertEquals("second.png", f2.name());
            long deadline = System.currentTimeMillis() + 3000;
            while (Files.exists(in.resolve("second.png")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(Files.exists(done.resolve("first.jpg")));
            assertTrue(Files.exists(done.resolve("second.png")));
            assertNull(slot.take(200, TimeUnit.MILLISECONDS));
        } finally {
            runner.stop(2000);
        }
    }

    @Test
    void latestFrameWinsAndStaleFramesAreCounted() throws Exception {
        FrameSlot slot = new FrameSlot();
        for (int i = 0; i < 5; i++) {
            slot.offerLatest(Frame.encoded("cam", new byte[] {(byte) i}, "f" + i, null));
        }
        assertEquals(4, slot.dropped());
        assertEquals("f4", slot.take(1, TimeUnit.SECONDS).name());
        assertNull(slot.take(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void ffmpegDeliversScaledRawFramesAndReportsItsExit() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")),
                "ffmpeg is not installed (apt-get install ffmpeg); skipping");
        Path video = tmp.resolve("test.mp4");
        Process gen = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=10:duration=1", "-pix_fmt", "yuv420p", video.toString())
                .redirectErrorStream(true).start();
        assertTrue(gen.waitFor(30, TimeUnit.SECONDS) && gen.exitValue() == 0, "test video generation failed");
        PreprocessSpec spec = PreprocessSpec.imagenet(73, 64);
        FfmpegSource source = new FfmpegSource("cam", "ffmpeg", null, List.of(), video.toString(), 0, spec);
        CollectingSink sink = new CollectingSink(1000);
        IOException e = assertThrows(IOException.class, () -> source.stream(sink));
        assertEquals("ffmpeg input ended after 10 frames", e.getMessage());
        assertEquals(10, sink.frames.size());
        Frame f = sink.frames.get(0);
        assertEquals(73, f.width());
        assertEquals(73, f.height());
        assertEquals(73 * 73 * 3, f.rgb().length);

        FfmpegSource broken = new FfmpegSource("cam", "ffmpeg", null, List.of(), tmp.resolve("missing.mp4").toString(),
                0, spec);
        e = assertThrows(IOException.class, () -> broken.stream(new CollectingSink(1)));
        assertEquals("ffmpeg exited with code 1 after 0 frames: " + tmp.resolve("missing.mp4")
                + ": No such file or directory", e.getMessage());
    }

    /** A deploy swapped in a model with another input size: ffmpeg restarts with the new scaling, no failure. */
    @Test
    void ffmpegFollowsTheModelsFrameSizeAfterASwap() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")),
                "ffmpeg is not installed (apt-get install ffmpeg); skipping");
        FfmpegSource source = new FfmpegSource("cam", "ffmpeg", "lavfi", List.of(),
                "testsrc=size=320x240:rate=25", 0, PreprocessSpec.imagenet(73, 64));
        List<Frame> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        FrameSink sink = new FrameSink() {
            @Override
            public void offerLatest(Frame frame) {
                frames.add(frame);
                if (frames.size() == 3) {
                    source.modelChanged(PreprocessSpec.imagenet(146, 128));
                }
                if (frames.stream().filter(f -> f.width() == 146).count() == 3) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void putWhenFree(Frame frame) {
                offerLatest(frame);
            }
        };
        assertThrows(InterruptedException.class, () -> source.stream(sink));
        assertEquals(List.of(73, 73, 73), frames.subList(0, 3).stream().map(Frame::width).toList());
        // frames read before the old process was gone may still be 73 wide; every one after the first 146 is 146
        int first146 = frames.stream().map(Frame::width).toList().indexOf(146);
        assertTrue(first146 >= 3, "new size only after the change: " + frames);
        assertTrue(frames.subList(first146, frames.size()).stream().allMatch(f -> f.width() == 146
                && f.height() == 146 && f.rgb().length == 146 * 146 * 3), "all later frames are 146x146");
        assertTrue(source.command().contains("scale=146:146:force_original_aspect_ratio=increase,crop=146:146"),
                source.command().toString());
        assertEquals("ffmpeg testsrc=size=320x240:rate=25 \u2192 146x146 rgb24", source.describe());
        // unchanged preprocessing: nothing restarts
        List<String> before = source.command();
        source.modelChanged(PreprocessSpec.imagenet(146, 128));
        assertSame(before, source.command());
    }
}

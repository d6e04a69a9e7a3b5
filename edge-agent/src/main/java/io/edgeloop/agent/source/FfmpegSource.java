package io.edgeloop.agent.source;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns {@code ffmpeg} for any input it can read (RTSP, V4L2, files, lavfi) and reads raw RGB frames from its
 * stdout, already scaled and centre-cropped by ffmpeg to the model's resize size, so Java never decodes video. When
 * ffmpeg exits the source fails with its last stderr lines and the runner restarts it with backoff.
 */
public final class FfmpegSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSource.class);

    private final String cameraId;
    private final String executable;
    private final String inputFormat;
    private final List<String> inputOptions;
    private final String input;
    private final double fps;
    private volatile Layout layout;
    private volatile Process process;
    /** Frames delivered by this {@link #stream} call (only the streaming thread touches it). */
    private long frames;

    /** What ffmpeg is asked to produce for one model's preprocessing: the command and the frame size. */
    private record Layout(List<String> command, int width, int height) {
    }

    /**
     * @param preprocess the model's preprocessing: frames come out at its resize size (square for
     *                   shorter-side/exact resizes), leaving only the centre crop and normalisation to Java
     */
    public FfmpegSource(String cameraId, String executable, String inputFormat, List<String> inputOptions,
            String input, double fps, PreprocessSpec preprocess) {
        this.cameraId = cameraId;
        this.executable = executable;
        this.inputFormat = inputFormat;
        this.inputOptions = List.copyOf(inputOptions);
        this.input = input;
        this.fps = fps;
        this.layout = layout(preprocess);
    }

    private Layout layout(PreprocessSpec preprocess) {
        int side = preprocess.resize() == ResizePolicy.NONE ? preprocess.cropSize() : preprocess.resizeSize();
        String scale = preprocess.resize() == ResizePolicy.EXACT
                ? "scale=" + side + ":" + side
                : "scale=" + side + ":" + side + ":force_original_aspect_ratio=increase,crop=" + side + ":" + side;
        String filter = (fps > 0 ? "fps=" + String.format(Locale.ROOT, "%.3f", fps) + "," : "") + scale;
        List<String> cmd = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-loglevel", "error"));
        cmd.addAll(inputOptions);
        if (inputFormat != null) {
            cmd.addAll(List.of("-f", inputFormat));
        }
        cmd.addAll(List.of("-i", input, "-an", "-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"));
        return new Layout(List.copyOf(cmd), side, side);
    }

    /** The command line ffmpeg is started with (for the current model's preprocessing). */
    public List<String> command() {
        return layout.command();
    }

    /**
     * Frames for the new model's resize size: ffmpeg is restarted with the new scaling right away (the frame in
     * flight is lost); this is not a failure of the source.
     */
    @Override
    public void modelChanged(PreprocessSpec preprocess) {
        Layout next = layout(preprocess);
        if (next.equals(layout)) {
            return;
        }
        layout = next;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        frames = 0;
        while (true) {
            Layout running = layout;
            try {
                run(running, sink);
            } catch (IOException e) {
                if (layout == running) {
                    throw e;
                }
                LOG.info("camera {}: restarting ffmpeg for the new model's frame size {}x{}", cameraId,
                        layout.width(), layout.height());
            }
        }
    }

    /** Runs one ffmpeg process until it exits; always ends with the exception that says how it ended. */
    private void run(Layout running, FrameSink sink) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(running.command()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process = p;
        if (layout != running) {
            p.destroy(); // the model changed while ffmpeg was starting
        }
        Deque<String> stderr = new ArrayDeque<>();
        Thread drain = new Thread(() -> drain(p.getErrorStream(), stderr), "ffmpeg-stderr-" + cameraId);
        drain.setDaemon(true);
        drain.start();
        int frameBytes = running.width() * running.height() * 3;
        long started = frames;
        try (DataInputStream in = new DataInputStream(p.getInputStream())) {
            while (true) {
                byte[] rgb = new byte[frameBytes];
                try {
                    in.readFully(rgb);
                } catch (EOFException e) {
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                sink.offerLatest(Frame.raw(cameraId, rgb, running.width(), running.height(), "ffmpeg#" + frames++));
            }
        } finally {
            p.destroy();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
            drain.join(1000);
            process = null;
        }
        int code = p.exitValue();
        String last;
        synchronized (stderr) {
            last = String.join(" | ", stderr);
        }
        if (code == 0 && frames > started) {
            throw new EOFException("ffmpeg input ended after " + frames + " frames");
        }
        throw new IOException("ffmpeg exited with code " + code + " after " + frames + " frames"
                + (last.isEmpty() ? "" : ": " + last));
    }

    private static void drain(InputStream err, Deque<String> lines) {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    while (lines.size() > 5) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    @Override
    public String describe() {
        Layout l = layout;
        return "ffmpeg " + input.replaceAll("://[^@/]*@", "://***@") + " → " + l.width() + "x" + l.height() + " rgb24";
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }
}

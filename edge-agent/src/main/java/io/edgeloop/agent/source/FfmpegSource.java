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

/**
 * Spawns {@code ffmpeg} for any input it can read (RTSP, V4L2, files, lavfi) and reads raw RGB frames from its
 * stdout, already scaled and centre-cropped by ffmpeg to the model's resize size, so Java never decodes video. When
 * ffmpeg exits the source fails with its last stderr lines and the runner restarts it with backoff.
 */
public final class FfmpegSource implements FrameSource {

    private final String cameraId;
    private final List<String> command;
    private final int width;
    private final int height;
    private volatile Process process;

    /**
     * @param preprocess the model's preprocessing: frames come out at its resize size (square for
     *                   shorter-side/exact resizes), leaving only the centre crop and normalisation to Java
     */
    public FfmpegSource(String cameraId, String executable, String inputFormat, List<String> inputOptions,
            String input, double fps, PreprocessSpec preprocess) {
        this.cameraId = cameraId;
        int side = preprocess.resize() == ResizePolicy.NONE ? preprocess.cropSize() : preprocess.resizeSize();
        this.width = side;
        this.height = side;
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
        this.command = List.copyOf(cmd);
    }

    /** The command line ffmpeg is started with. */
    public List<String> command() {
        return command;
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process = p;
        Deque<String> stderr = new ArrayDeque<>();
        Thread drain = new Thread(() -> drain(p.getErrorStream(), stderr), "ffmpeg-stderr-" + cameraId);
        drain.setDaemon(true);
        drain.start();
        int frameBytes = width * height * 3;
        long n = 0;
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
                sink.offerLatest(Frame.raw(cameraId, rgb, width, height, "ffmpeg#" + n++));
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
        if (code == 0 && n > 0) {
            throw new EOFException("ffmpeg input ended after " + n + " frames");
        }
        throw new IOException("ffmpeg exited with code " + code + " after " + n + " frames"
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
        return "ffmpeg " + command.get(command.indexOf("-i") + 1).replaceAll("://[^@/]*@", "://***@") + " → " + width + "x" + height + " rgb24";
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }
}

package io.edgeloop.trainer.fleet;

import io.edgeloop.protocol.mqtt.CameraMetrics;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Appends drift telemetry to {@code <dir>/<device>/<camera>.jsonl}: one {@link TelemetryLine} per metrics message
 * and camera that carries predictions (cameras without them, as from older agents, are skipped). Append-only and
 * bounded: when a camera's file would grow past {@code maxBytesPerFile} it becomes {@code <camera>.1.jsonl}
 * (replacing the previous one) and a new file starts, so a camera never takes more than twice that. Each line is
 * written with one append, so a crash can leave at most a partial last line, which {@link TelemetryReader} skips
 * and counts. Ids cannot contain {@code .} or {@code /}, so file names cannot collide or escape the folder.
 */
public final class TelemetryLog {

    /** The folder under a collector's {@code --dir}. */
    public static final String FOLDER = "telemetry";
    /** Default size of one camera's current file before it is rotated: 4 MiB (about a week of 1-minute lines). */
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    /** Suffix of the current file. */
    static final String CURRENT = ".jsonl";
    /** Suffix of the previous (rotated) file. */
    static final String PREVIOUS = ".1.jsonl";

    private final Path dir;
    private final long maxBytesPerFile;

    /**
     * @param dir             the telemetry folder (created when the first line is written)
     * @param maxBytesPerFile size at which a camera's file is rotated, at least 4096
     */
    public TelemetryLog(Path dir, long maxBytesPerFile) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (maxBytesPerFile < 4096) {
            throw new IllegalArgumentException("--telemetry-max-bytes is " + maxBytesPerFile + ", allowed at least"
                    + " 4096");
        }
        this.maxBytesPerFile = maxBytesPerFile;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Appends one line per camera of {@code metrics} that carries predictions.
     *
     * @return the lines written
     * @throws IOException naming the file that could not be written
     */
    public synchronized int append(DeviceMetrics metrics) throws IOException {
        int written = 0;
        for (CameraMetrics c : metrics.cameras()) {
            if (c.predictions() == null) {
                continue;
            }
            TelemetryLine line = new TelemetryLine(metrics.at(), metrics.device(), c.camera(), c.predictions());
            append(metrics.device(), c.camera(), (line.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            written++;
        }
        return written;
    }

    private void append(String device, String camera, byte[] line) throws IOException {
        Path folder = dir.resolve(device);
        Path file = folder.resolve(camera + CURRENT);
        try {
            Files.createDirectories(folder);
            if (Files.exists(file) && Files.size(file) + line.length > maxBytesPerFile) {
                Files.move(file, folder.resolve(camera + PREVIOUS), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot append telemetry to " + file + ": " + e.getMessage(), e);
        }
    }
}

package io.edgeloop.trainer.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a {@link TelemetryLog} wrote: every camera's previous file, then its current one. A line that is not
 * a valid {@link TelemetryLine}, or that names another device or camera than its file, is skipped and counted (the
 * first few are kept with file, line number and reason).
 */
public final class TelemetryReader {

    /** How many skipped lines are described. */
    static final int DESCRIBED = 5;

    private TelemetryReader() {
    }

    /**
     * What was read.
     *
     * @param lines   the valid lines, per camera in file order
     * @param skipped lines that could not be used
     * @param reasons the first {@value #DESCRIBED} of those: {@code file:line: reason}
     */
    public record Result(List<TelemetryLine> lines, int skipped, List<String> reasons) {
        public Result {
            lines = List.copyOf(lines);
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * Reads the telemetry folder.
     *
     * @throws IllegalArgumentException if {@code dir} is not a folder (naming it)
     * @throws IOException              if a file cannot be read
     */
    public static Result read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a telemetry folder (trainer collect --dir DIR records"
                    + " telemetry into DIR/" + TelemetryLog.FOLDER + ")");
        }
        List<TelemetryLine> lines = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int[] skipped = {0};
        for (Path device : sorted(dir)) {
            if (!Files.isDirectory(device)) {
                continue;
            }
            for (Path file : sorted(device)) {
                String name = file.getFileName().toString();
                if (!name.endsWith(TelemetryLog.CURRENT) || name.endsWith(TelemetryLog.PREVIOUS)) {
                    continue;
                }
                String camera = name.substring(0, name.length() - TelemetryLog.CURRENT.length());
                String deviceId = device.getFileName().toString();
                Path previous = device.resolve(camera + TelemetryLog.PREVIOUS);
                if (Files.exists(previous)) {
                    readFile(previous, deviceId, camera, lines, reasons, skipped);
                }
                readFile(file, deviceId, camera, lines, reasons, skipped);
            }
        }
        return new Result(lines, skipped[0], reasons);
    }

    private static void readFile(Path file, String device, String camera, List<TelemetryLine> lines,
                                 List<String> reasons, int[] skipped) throws IOException {
        // a decoder that replaces malformed bytes, so a damaged line is skipped instead of ending the read
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            String text;
            int number = 0;
            while ((text = in.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                String reason;
                try {
                    TelemetryLine line = TelemetryLine.fromJson(text);
                    if (line.device().equals(device) && line.camera().equals(camera)) {
                        lines.add(line);
                        continue;
                    }
                    reason = "names " + line.device() + "/" + line.camera() + ", allowed the file's " + device + "/"
                            + camera;
                } catch (IllegalArgumentException e) {
                    reason = e.getMessage();
                }
                skipped[0]++;
                if (reasons.size() < DESCRIBED) {
                    reasons.add(file + ":" + number + ": " + reason);
                }
            }
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}

package io.edgeloop.trainer.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code results.csv}: one line per finished run, appended and flushed as each run ends, so an interrupted
 * experiment keeps what it measured and continues with the runs still missing.
 */
public final class ResultsFile {

    /** File name inside the experiment's output folder. */
    public static final String FILE_NAME = "results.csv";

    private final Path file;

    public ResultsFile(Path outDir) {
        this.file = outDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Every run recorded so far (none when the file does not exist); a bad line is an error naming the file. */
    public List<RunResult> read() throws IOException {
        List<RunResult> results = new ArrayList<>();
        if (!Files.exists(file)) {
            return results;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(RunResult.CSV_HEADER)) {
            throw new IOException(file + " does not start with the header " + RunResult.CSV_HEADER);
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                results.add(RunResult.fromCsv(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return results;
    }

    /** Appends a run (writing the header first when the file is new). */
    public void append(RunResult result) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String text = (Files.exists(file) ? "" : RunResult.CSV_HEADER + "\n") + result.toCsv() + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }
}

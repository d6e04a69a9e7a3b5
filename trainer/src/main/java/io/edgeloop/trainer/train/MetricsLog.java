package io.edgeloop.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line, {@code "type":"epoch"} per epoch and {@code "type":"step"}
 * every N steps, flushed line by line so an interrupted run keeps everything up to the interruption. A resumed
 * run appends.
 */
public final class MetricsLog implements AutoCloseable {

    /** The file name inside the output folder. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter writer;

    public MetricsLog(Path outDir, boolean append) throws IOException {
        writer = Files.newBufferedWriter(outDir.resolve(FILE_NAME), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    }

    public void epoch(EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "epoch");
        line.put("epoch", m.epoch());
        line.put("trainLoss", m.trainLoss());
        line.put("trainAccuracy", m.trainAccuracy());
        line.put("valLoss", finiteOrNull(m.valLoss()));
        line.put("valAccuracy", finiteOrNull(m.valAccuracy()));
        line.put("learningRate", m.learningRate());
        line.put("seconds", m.seconds());
        line.put("imagesPerSecond", m.imagesPerSecond());
        line.put("featureCache", m.featureCache());
        line.put("improved", m.improved());
        write(line);
    }

    public void step(int epoch, long globalStep, double loss, double accuracy, double learningRate) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "step");
        line.put("epoch", epoch);
        line.put("step", globalStep);
        line.put("loss", loss);
        line.put("accuracy", accuracy);
        line.put("learningRate", learningRate);
        write(line);
    }

    private void write(Map<String, Object> line) {
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}

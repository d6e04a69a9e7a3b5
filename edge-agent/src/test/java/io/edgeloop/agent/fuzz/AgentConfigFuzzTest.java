package io.edgeloop.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.protocol.testing.Fuzzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz campaign over the agent's config loader (see docs/reliability.md): every mutated file is loaded or refused
 * with a {@link ConfigException}, nothing else, and loading writes no file. {@code -Dfuzz.cases=N} for more cases.
 */
class AgentConfigFuzzTest {

    private static final String FULL = """
            deviceId: gate-01
            model:
              path: models/colour.onnx
              labels: [red, green, blue]
            cameras:
              - id: front
                source:
                  type: replay
                  path: frames
                  fps: 5
                hardExamples:
                  maxPerHour: 10
              - id: yard
                source:
                  type: mjpeg
                  url: http://camera.local/stream
            mqtt:
              broker: tcp://localhost:1883
              topicPrefix: edgeloop
            inference:
              intraOpThreads: 2
              topK: 3
              minConfidence: 0.4
              decodeMemoryBytes: 67108864
              classThresholds:
                red: 0.6
            events:
              mode: on-change
              heartbeatSeconds: 60
            spool:
              maxBytes: 1048576
            retry:
              initialMillis: 100
              maxMillis: 5000
            """;

    @TempDir
    Path tmp;

    @Test
    void everyMutatedConfigIsLoadedOrRefusedWithAConfigException() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(FULL.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(Path.of("../devices/profiles"))) {
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        Path dir = Files.createDirectories(tmp.resolve("config"));
        Path file = dir.resolve("agent.yaml");
        ConfigLoader loader = new ConfigLoader();
        Fuzzer.Report report = new Fuzzer("agent-config", seeds,
                t -> t instanceof ConfigException ? "ConfigException" : null).seed(15).text()
                .run(Fuzzer.cases(400), input -> {
                    Files.write(file, input);
                    loader.load(file);
                });
        assertEquals(List.of(), report.failures(), report.summary());
        assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
        try (Stream<Path> left = Files.walk(tmp)) {
            assertEquals(List.of(tmp, dir, file), left.sorted().toList(), "loading a config writes no file");
        }
    }
}

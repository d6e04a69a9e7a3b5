package io.edgeloop.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch eager reference ({@code bench_pytorch.py}) as a child process: started once, it builds its models and
 * then runs the steps it is asked for, one strategy at a time, so Java and Python measurements can alternate in the
 * same run. Its log goes to this process's stderr.
 */
final class PythonReference implements AutoCloseable {

    /**
     * Steps' wall-clock durations, process CPU times, losses and phase durations ({@link Series#PHASES}) as Python
     * measured them.
     */
    record Result(List<Double> seconds, List<Double> cpuSeconds, List<Double> losses, List<double[]> phases) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final JsonNode info;

    /**
     * Starts the script and waits until it reports ready.
     *
     * @param command interpreter, script and arguments
     */
    PythonReference(List<String> command) throws IOException {
        Path script = Path.of(command.get(1));
        if (!Files.isRegularFile(script)) {
            throw new IOException("Python reference script " + script.toAbsolutePath() + " does not exist");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        this.process = builder.start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        try {
            this.info = readLine("startup");
            if (!info.path("ready").asBoolean()) {
                throw new IOException("Python reference did not report ready: " + info);
            }
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** What the script reported at startup: torch version, thread counts, mkldnn. */
    JsonNode info() {
        return info;
    }

    /** Runs {@code steps} training steps of {@code strategy} and returns their durations and losses. */
    Result run(BenchStrategy strategy, int steps) throws IOException {
        return run(strategy, steps, null);
    }

    /**
     * Runs {@code steps} training steps of {@code strategy}; with a {@code profile} file, under PyTorch's autograd
     * profiler, whose chrome trace is written there.
     */
    Result run(BenchStrategy strategy, int steps, Path profile) throws IOException {
        var command = json.createObjectNode().put("strategy", strategy.id()).put("steps", steps);
        if (profile != null) {
            command.put("profile", profile.toAbsolutePath().toString());
        }
        in.write(json.writeValueAsString(command) + "\n");
        in.flush();
        JsonNode reply = readLine(strategy.id());
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        reply.path("seconds").forEach(n -> seconds.add(n.asDouble()));
        reply.path("cpu_seconds").forEach(n -> cpu.add(n.asDouble()));
        reply.path("losses").forEach(n -> losses.add(n.asDouble()));
        List<double[]> phases = new ArrayList<>();
        reply.path("phases").forEach(n -> {
            double[] p = new double[n.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = n.get(i).asDouble();
            }
            phases.add(p);
        });
        if (seconds.size() != steps || cpu.size() != steps || losses.size() != steps || phases.size() != steps
                || phases.stream().anyMatch(p -> p.length != Series.PHASES.size())) {
            throw new IOException("Python reference answered " + reply + " to " + steps + " steps of "
                    + strategy.id());
        }
        return new Result(seconds, cpu, losses, phases);
    }

    private JsonNode readLine(String what) throws IOException {
        String line = out.readLine();
        if (line == null) {
            int code;
            try {
                code = process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = -1;
            }
            throw new IOException("Python reference ended during " + what + " (exit code " + code
                    + "; its stderr is above)");
        }
        return json.readTree(line);
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                in.write("{\"quit\": true}\n");
                in.flush();
            }
        } catch (IOException ignored) {
            // the process is gone already; destroyed below if not
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package io.edgeloop.trainer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The edge agent as a separate process, exactly as a device runs it ({@code java -jar edge-agent.jar run}), with its
 * output in a log file. Closing it sends SIGTERM (the agent's graceful shutdown) and waits, then kills.
 */
final class AgentProcess implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AgentProcess start(Path agentJar, Path config, Path log) throws IOException {
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("edge agent jar " + agentJar + " not found; build it with"
                    + " './mvnw -q -DskipTests package' or pass --agent-jar");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-jar",
                agentJar.toAbsolutePath().toString(), "run", "--config", config.toAbsolutePath().toString()));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new AgentProcess(process, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The exit code, or -1 while running. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

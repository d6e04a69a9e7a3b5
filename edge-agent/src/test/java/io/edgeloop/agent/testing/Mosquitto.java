package io.edgeloop.agent.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A real mosquitto broker on a free loopback port, started from a generated config; tests skip without it. */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test when mosquitto is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "mosquitto is not installed at " + BINARY + " (apt-get install mosquitto); skipping broker test");
    }

    /** Starts a broker with persistence in {@code dir}. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        assumeInstalled();
        Mosquitto m = new Mosquitto(dir, freePort());
        m.startProcess();
        return m;
    }

    /** Starts a broker on a given port (e.g. one an agent already tries to reach). */
    public static Mosquitto startOnPort(Path dir, int port) throws IOException, InterruptedException {
        assumeInstalled();
        Mosquitto m = new Mosquitto(dir, port);
        m.startProcess();
        return m;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The broker's process id while it runs (for benchmarks that read its CPU time). */
    public long pid() {
        return process.pid();
    }

    /** (Re)starts the broker process on the same port. */
    public void startProcess() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        // started as root, mosquitto would drop to user "mosquitto", which cannot write the test's private temp
        // directory: persistence and the log would silently fail. Stay the user running the tests.
        Files.writeString(conf, "user " + System.getProperty("user.name") + "\n"
                + "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence true\n"
                + "persistence_location " + dir.toAbsolutePath() + "/\n"
                + "autosave_interval 1\n"
                + "max_queued_messages 100000\n"
                + "log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log") + "\n");
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on " + port + " within 10 s");
    }

    /** Stops the broker (SIGTERM, then SIGKILL). */
    public void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        try {
            stopProcess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

package io.edgeloop.protocol.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real mosquitto broker on a loopback port, started from a generated config with its state and log in a test
 * directory; tests skip when mosquitto is not installed ({@code .ci/run} installs it). It can be stopped and started
 * again on the same port to play a broker outage.
 */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private final String access;
    private Process process;

    private Mosquitto(Path dir, int port, String access) {
        this.dir = dir;
        this.port = port;
        this.access = access;
    }

    /** Skips the calling test when mosquitto is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "mosquitto is not installed at " + BINARY + " (apt-get install mosquitto); skipping broker test");
    }

    /** Starts an anonymous broker on a free port. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        return startOnPort(dir, freePort());
    }

    /** Starts an anonymous broker on a given port (e.g. one a client already tries to reach). */
    public static Mosquitto startOnPort(Path dir, int port) throws IOException, InterruptedException {
        return started(new Mosquitto(dir, port, "allow_anonymous true\n"));
    }

    /** Starts a broker that accepts only {@code user} with {@code password} (made with mosquitto_passwd). */
    public static Mosquitto startWithPassword(Path dir, String user, String password)
            throws IOException, InterruptedException {
        assumeInstalled();
        Path passwd = Path.of("/usr/bin/mosquitto_passwd");
        Assumptions.assumeTrue(Files.isExecutable(passwd), "mosquitto_passwd is not installed at " + passwd);
        Files.createDirectories(dir);
        Path file = dir.resolve("passwords");
        Path log = dir.resolve("passwd.log");
        Process p = new ProcessBuilder(passwd.toString(), "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mosquitto_passwd failed: " + Files.readString(log));
        }
        return started(new Mosquitto(dir, freePort(), "allow_anonymous false\npassword_file " + file + "\n"));
    }

    private static Mosquitto started(Mosquitto broker) throws IOException, InterruptedException {
        assumeInstalled();
        broker.startProcess();
        return broker;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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

    /** (Re)starts the broker process on the same port, with the same access rules and persistence directory. */
    public void startProcess() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        Path stdout = dir.resolve("stdout.log");
        // Started as root, mosquitto would drop to user "mosquitto", which cannot write the test's private temp
        // directory: persistence and the log would silently fail. Stay the user running the tests.
        Files.writeString(conf, "user " + System.getProperty("user.name") + "\n"
                + "listener " + port + " 127.0.0.1\n"
                + access
                + "persistence true\n"
                + "persistence_location " + dir.toAbsolutePath() + "/\n"
                + "autosave_interval 1\n"
                + "max_queued_messages 100000\n"
                + "log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log") + "\n");
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": " + Files.readString(stdout));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        stopProcess();
        throw new IOException("mosquitto did not listen on " + port + " within 10 s");
    }

    /** Kills the broker with SIGKILL: no clean shutdown, no final save of its persistence file. */
    public void killProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
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

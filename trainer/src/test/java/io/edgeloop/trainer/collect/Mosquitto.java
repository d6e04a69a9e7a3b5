package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real mosquitto broker on a free loopback port, started from a generated config (tests skip without it). */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts mosquitto with its state and log in {@code dir}; skips the test if mosquitto is not installed. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return start(dir, port);
    }

    /** Starts mosquitto on a given port (to restart a broker where clients expect it). */
    public static Mosquitto start(Path dir, int port) throws IOException, InterruptedException {
        return start(dir, port, "allow_anonymous true\n");
    }

    /** Starts mosquitto that accepts only {@code user} with {@code password} (made with mosquitto_passwd). */
    public static Mosquitto startWithPassword(Path dir, String user, String password)
            throws IOException, InterruptedException {
        Path passwd = Path.of("/usr/bin/mosquitto_passwd");
        assumeTrue(Files.isExecutable(passwd), "mosquitto_passwd is not installed at " + passwd);
        Files.createDirectories(dir);
        Path file = dir.resolve("passwords");
        Process p = new ProcessBuilder(passwd.toString(), "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true).redirectOutput(dir.resolve("passwd.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mosquitto_passwd failed: " + Files.readString(dir.resolve("passwd.log")));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return start(dir, port, "allow_anonymous false\npassword_file " + file + "\n");
    }

    private static Mosquitto start(Path dir, int port, String access) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(BINARY), "mosquitto is not installed at " + BINARY + " (apt install mosquitto)");
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        // Started as root, mosquitto drops to the "mosquitto" user, which cannot read files in a private temp dir.
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n" + access + "persistence false\n"
                + "max_queued_messages 10000\nuser " + System.getProperty("user.name") + "\n");
        Process process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        Mosquitto broker = new Mosquitto(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return broker;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        broker.close();
        throw new IOException("mosquitto did not listen on port " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

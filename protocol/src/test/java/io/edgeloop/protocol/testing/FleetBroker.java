package io.edgeloop.protocol.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The locked-down fleet broker of {@code devices/broker/}: {@link #generate} runs {@code make-fleet-broker.sh} as a
 * user would, {@link #start} runs mosquitto on the generated {@code mosquitto.conf}, changed only where a test must
 * (a free loopback port instead of 8883, the test's user instead of {@code mosquitto}, a log file).
 */
public final class FleetBroker implements AutoCloseable {

    /** The script, from a module folder. */
    public static final Path SCRIPT = Path.of("..", "devices", "broker", "make-fleet-broker.sh").toAbsolutePath()
            .normalize();

    private final Path fleet;
    private final int port;
    private final Process process;

    private FleetBroker(Path fleet, int port, Process process) {
        this.fleet = fleet;
        this.port = port;
        this.process = process;
    }

    /**
     * Runs the script with {@code args} (e.g. {@code --fleet DIR --devices cam-1,cam-2}) and returns its output.
     *
     * @throws IOException with the script's output when it exits with an error
     */
    public static String generate(String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        ScriptRun run = run(args);
        if (run.exitCode() != 0) {
            throw new IOException("make-fleet-broker.sh " + String.join(" ", args) + " exited with "
                    + run.exitCode() + ": " + run.output());
        }
        return run.output();
    }

    /** The script's exit code and output (stdout and stderr together). */
    public record ScriptRun(int exitCode, String output) {
    }

    /** Runs the script with {@code args} whatever its outcome. */
    public static ScriptRun run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("make-fleet-broker.sh did not finish within 60 s: " + out);
        }
        return new ScriptRun(p.exitValue(), out);
    }

    /** Starts mosquitto on the fleet's generated configuration, on a free loopback port. */
    public static FleetBroker start(Path fleet) throws IOException, InterruptedException {
        Mosquitto.assumeInstalled();
        int port = Mosquitto.freePort();
        String conf = Files.readString(fleet.resolve("mosquitto.conf"), StandardCharsets.UTF_8);
        if (!conf.contains("\nlistener 8883\n")) {
            throw new IOException("generated mosquitto.conf has no 'listener 8883' line: " + conf);
        }
        Path test = fleet.resolve("test.conf");
        Path log = fleet.resolve("mosquitto.log");
        Files.writeString(test, "user " + System.getProperty("user.name") + "\n"
                + conf.replace("\nlistener 8883\n", "\nlistener " + port + " 127.0.0.1\n")
                + "log_dest file " + log + "\nlog_type all\n");
        Process p = new ProcessBuilder(Mosquitto.BINARY.toString(), "-c", test.toString()).redirectErrorStream(true)
                .redirectOutput(fleet.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("mosquitto exited with " + p.exitValue() + ": "
                        + Files.readString(fleet.resolve("stdout.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new FleetBroker(fleet, port, p);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("mosquitto did not listen on " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    /** {@code ssl://127.0.0.1:<port>}. */
    public String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    /** A file of an identity made by the script: {@code clients/<id>/<file>}. */
    public Path client(String id, String file) {
        return fleet.resolve("clients").resolve(id).resolve(file);
    }

    /** The broker's log so far (for failure messages). */
    public String log() throws IOException {
        Path log = fleet.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

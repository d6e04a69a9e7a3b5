package io.edgeloop.agent.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered broker: two Apache ActiveMQ Artemis nodes on this machine (a static cluster, MQTT 5 acceptors),
 * simulated devices ({@link FleetSimBenchmark#devices}) on node A, a shared-subscription collector and a plain
 * dashboard subscriber on node B; node A killed with SIGKILL mid-run and restarted. Counts as the fault campaign.
 * Needs an unpacked Artemis distribution: {@code -Dartemis.home=DIR} ({@code scripts/artemis-cluster.sh} fetches it
 * from Maven Central and runs this test); skipped without it.
 */
@Tag("slow")
class ClusterFaultsTest {

    private static final String HOME = System.getProperty("artemis.home");
    private static final int DEVICES = Integer.getInteger("cluster.devices", 20);

    @TempDir
    Path tmp;

    /** One broker instance made with {@code artemis create}, run as its own process. */
    private final class Node {
        final Path dir;
        final int mqttPort;
        Process process;

        Node(String name, int offset, int peerCorePort) throws Exception {
            dir = tmp.resolve(name);
            mqttPort = 1883 + offset;
            run(Path.of(HOME, "bin", "artemis").toString(), "create", dir.toString(), "--silent", "--user", "admin",
                    "--password", "admin", "--allow-anonymous", "--clustered", "--host", "127.0.0.1",
                    "--cluster-user", "cluster", "--cluster-password", "cluster-secret",
                    "--staticCluster", "tcp://127.0.0.1:" + peerCorePort, "--port-offset", "" + offset,
                    "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-stomp-acceptor", "--no-web",
                    "--no-autotune", "--message-load-balancing", "ON_DEMAND", "--max-hops", "1");
        }

        void start(int run) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(dir.resolve("bin/artemis").toString(), "run")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("run-" + run + ".log").toFile());
            pb.environment().put("JAVA_ARGS", "-Xms64m -Xmx256m");
            process = pb.start();
            awaitPort(mqttPort, 90);
        }

        /** SIGKILL to the broker's JVM and the script that started it. */
        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        String uri() {
            return "tcp://127.0.0.1:" + mqttPort;
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void awaitPort(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("nothing listens on " + port + " after " + seconds + " s");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void devicesOnNodeAKilledAndRestartedReachCollectorsOnNodeB() throws Exception {
        Assumptions.assumeTrue(HOME != null && Files.isExecutable(Path.of(HOME, "bin", "artemis")),
                "set -Dartemis.home to an unpacked apache-artemis bin distribution (scripts/artemis-cluster.sh)");
        int offsetA = 1000 + new Random().nextInt(1000);
        int offsetB = offsetA + 1000;
        Node a = new Node("node-a", offsetA, 61616 + offsetB);
        Node b = new Node("node-b", offsetB, 61616 + offsetA);
        Ledger collected = new Ledger();
        Ledger dashboard = new Ledger();
        List<FleetSimBenchmark.Device> devices;
        try (ModelRuntime runtime = FleetSimBenchmark.model(tmp)) {
            a.start(1);
            b.start(1);
            Thread.sleep(5000); // the cluster bridge connects
            String events = "edgeloop/+/+/events";
            try (Collector collector = new Collector(b.uri(), "cluster-collector",
                    Topics.shared("collectors", events));
                    Collector watcher = new Collector(b.uri(), "cluster-dashboard", events)) {
                devices = FleetSimBenchmark.devices(a.uri(), DEVICES, tmp.resolve("spools"), new Random(3));
                devices.forEach(d -> d.link().start());
                Thread.sleep(3000);
                Postprocessor post = new Postprocessor(ColourModel.LABELS, OutputKind.LOGITS, 1.0, 2, 0.5, Map.of());
                AtomicBoolean running = new AtomicBoolean(true);
                Thread producer = new Thread(() -> FleetSimBenchmark.produce(devices, runtime, post, running, 5),
                        "cluster-producer");
                producer.start();
                List<Collector.Message> got = new ArrayList<>();
                List<Collector.Message> seen = new ArrayList<>();
                Thread.sleep(6000);
                a.kill();
                System.out.println("cluster: node A killed (SIGKILL)");
                Thread.sleep(3000);
                a.start(2);
                System.out.println("cluster: node A back");
                Thread.sleep(8000);
                running.set(false);
                producer.join();
                for (FleetSimBenchmark.Device d : devices) {
                    d.link().close(15_000);
                }
                long accepted = 0;
                long left = 0;
                for (FleetSimBenchmark.Device d : devices) {
                    collected.acceptedEvents(d.id(), "cam0", d.boot(), d.seq()[0]);
                    dashboard.acceptedEvents(d.id(), "cam0", d.boot(), d.seq()[0]);
                    accepted += d.seq()[0];
                    left += d.spool().pending();
                    d.spool().close();
                }
                System.out.printf("cluster: %d devices accepted %d events, %d left in their spools%n", DEVICES,
                        accepted, left);
                long quiet = System.nanoTime();
                while (System.nanoTime() - quiet < 10_000_000_000L
                        && (got.size() < accepted || seen.size() < accepted)) {
                    int before = got.size() + seen.size();
                    Thread.sleep(200);
                    got.addAll(collector.drain());
                    seen.addAll(watcher.drain());
                    if (got.size() + seen.size() > before) {
                        quiet = System.nanoTime();
                    }
                }
                got.forEach(m -> collected.delivered(m.topic(), m.payload()));
                seen.forEach(m -> dashboard.delivered(m.topic(), m.payload()));
            }
        } finally {
            a.kill();
            b.kill();
        }
        System.out.print(collected.report("cluster collector"));
        System.out.print(dashboard.report("cluster dashboard"));
        assertTrue(collected.total().published() > 0);
        assertEquals(0, collected.total().unexpected());
        assertEquals(0, dashboard.total().unexpected());
        assertEquals(0, collected.total().lost(), "collector lost " + collected.lost(10));
        assertEquals(0, dashboard.total().lost(), "dashboard lost " + dashboard.lost(10));
    }
}

package io.edgeloop.agent.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.mqtt.LinkSettings;
import io.edgeloop.agent.mqtt.MqttLink;
import io.edgeloop.agent.spool.Spool;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.LatencyBreakdown;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet simulator: {@code fleet.devices} simulated devices (default 200), each with the agent's own spool, MQTT link
 * (one connection per device) and event path (synthetic frames through the ONNX colour model, the postprocessor and
 * {@link EventMessages}), publishing {@code fleet.rate} events/s each (default 1) into one mosquitto, read by 1, 2
 * and 4 collectors in one MQTT 5 shared subscription ({@code $share/fleet/...}). With 4 collectors one is killed
 * (no DISCONNECT) half-way and comes back 3 s later with the same client id. Prints per phase: events/s delivered,
 * end-to-end latency p50/p99 (capturedAt to arrival at a collector), broker CPU (from /proc), the split between
 * collectors, and the ledger's published/delivered/lost/duplicated.
 *
 * <pre>
 * ./mvnw -o -q -pl edge-agent -am test -Dtest=FleetSimBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfleet.devices=1000 -Dfleet.seconds=20
 * </pre>
 */
@Tag("benchmark")
class FleetSimBenchmark {

    private static final int DEVICES = Integer.getInteger("fleet.devices", 200);
    private static final int SECONDS = Integer.getInteger("fleet.seconds", 15);
    private static final double RATE = Double.parseDouble(System.getProperty("fleet.rate", "1"));
    private static final Topics TOPICS = new Topics("edgeloop");

    @TempDir
    Path tmp;

    /** One simulated device: its own spool, link and message builder. */
    record Device(String id, String boot, Spool spool, MqttLink link, EventMessages messages,
            long[] seq) {
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void fleetAgainstOneMosquittoWithSharedSubscriptionCollectors() throws Exception {
        System.out.printf(Locale.ROOT, "fleet: %d devices x %.1f events/s for %d s per phase, %d cores%n", DEVICES,
                RATE, SECONDS, Runtime.getRuntime().availableProcessors());
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                ModelRuntime runtime = model(tmp)) {
            for (int collectors : new int[] {1, 2, 4}) {
                phase(broker, runtime, collectors);
            }
        }
    }

    private void phase(Mosquitto broker, ModelRuntime runtime, int collectorCount) throws Exception {
        String filter = Topics.shared("fleet", "edgeloop/+/+/events");
        List<Collector> collectors = new ArrayList<>();
        for (int i = 0; i < collectorCount; i++) {
            collectors.add(new Collector(broker.uri(), "fleet-c" + collectorCount + "-" + i, filter));
        }
        List<Device> devices = devices(broker.uri(), DEVICES, tmp.resolve("phase-" + collectorCount),
                new Random(collectorCount));
        devices.forEach(d -> d.link().start());
        Thread.sleep(Math.min(20_000, 500 + DEVICES * 10L)); // connections are made
        Postprocessor post = new Postprocessor(ColourModel.LABELS, OutputKind.LOGITS, 1.0, 2, 0.5, Map.of());
        long cpu0 = brokerCpuTicks(broker.pid());
        long t0 = System.nanoTime();
        long t0Millis = System.currentTimeMillis();
        AtomicBoolean running = new AtomicBoolean(true);
        Collector[] killed = new Collector[1];
        Thread producer = new Thread(() -> produce(devices, runtime, post, running), "fleet-producer");
        producer.start();
        List<Collector.Message> received = new ArrayList<>();
        int[] perCollector = new int[collectorCount];
        long phaseEnd = t0 + TimeUnit.SECONDS.toNanos(SECONDS);
        boolean killDone = false;
        long restartAt = Long.MAX_VALUE;
        while (System.nanoTime() < phaseEnd) {
            Thread.sleep(200);
            drain(collectors, received, perCollector);
            if (collectorCount == 4 && !killDone && System.nanoTime() > t0 + (phaseEnd - t0) / 2) {
                killed[0] = collectors.get(1);
                killed[0].kill();
                killDone = true;
                restartAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                System.out.println("fleet: collector fleet-c4-1 killed");
            }
            if (System.nanoTime() > restartAt) {
                collectors.set(1, new Collector(broker.uri(), "fleet-c4-1", filter));
                restartAt = Long.MAX_VALUE;
                System.out.println("fleet: collector fleet-c4-1 back");
            }
        }
        running.set(false);
        producer.join();
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        ExecutorService closer = Executors.newFixedThreadPool(16);
        for (Device d : devices) {
            closer.submit(() -> {
                d.link().close(10_000);
                return null;
            });
        }
        closer.shutdown();
        closer.awaitTermination(5, TimeUnit.MINUTES);
        long cpu1 = brokerCpuTicks(broker.pid());
        Ledger ledger = new Ledger();
        long accepted = 0;
        for (Device d : devices) {
            ledger.acceptedEvents(d.id(), "cam0", d.boot(), d.seq()[0]);
            accepted += d.seq()[0];
            d.spool().close();
        }
        long quiet = System.nanoTime();
        while (System.nanoTime() - quiet < 5_000_000_000L && received.size() < accepted) {
            int before = received.size();
            Thread.sleep(200);
            drain(collectors, received, perCollector);
            if (received.size() > before) {
                quiet = System.nanoTime();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] latency = new long[received.size()];
        int n = 0;
        long lastArrival = t0Millis + 1;
        for (Collector.Message m : received) {
            lastArrival = Math.max(lastArrival, m.receivedAtMillis());
            ledger.delivered(m.topic(), m.payload());
            ClassificationEvent e = Payloads.decode(m.payload(), ClassificationEvent.class);
            latency[n++] = m.receivedAtMillis() - e.capturedAt().toEpochMilli();
        }
        Arrays.sort(latency);
        double cpuSeconds = (cpu1 - cpu0) / 100.0;
        System.out.printf(Locale.ROOT, "fleet %d collector(s): %d devices, %.0f events/s accepted, %.0f events/s"
                        + " delivered, latency p50 %d ms p99 %d ms, broker CPU %.1f s (%.0f%% of one core),"
                        + " split %s%n", collectorCount, DEVICES, accepted / produceSeconds,
                ledger.total().delivered() * 1000.0 / (lastArrival - t0Millis), percentile(latency, 0.5),
                percentile(latency, 0.99),
                cpuSeconds, 100 * cpuSeconds / seconds, Arrays.toString(perCollector));
        Ledger.Counts t = ledger.total();
        System.out.printf(Locale.ROOT, "fleet %d collector(s): published %d delivered %d lost %d duplicated %d%n",
                collectorCount, t.published(), t.delivered(), t.lost(), t.duplicated());
        for (Collector c : collectors) {
            c.close();
        }
        assertEquals(0, t.lost(), "lost " + ledger.lost(10));
        assertEquals(0, t.unexpected());
    }

    /** {@code count} simulated devices on one broker (links not started), spools under {@code dir}. */
    static List<Device> devices(String uri, int count, Path dir, Random random) throws java.io.IOException {
        List<Device> devices = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            String id = "sim-" + d;
            Spool spool = Spool.open(dir.resolve(id), 1 << 20, 64 << 10, 1000);
            LinkSettings settings = new LinkSettings(uri, id, null, null, null, 30, 10, 600, 200, 2000,
                    "edgeloop/" + id + "/status");
            MqttLink link = new MqttLink(settings, spool, () -> new byte[] {'1'}, () -> new byte[] {'0'}, List::of,
                    new Random(random.nextLong()));
            String boot = HexFormat.of().toHexDigits(random.nextLong());
            devices.add(new Device(id, boot, spool, link, new EventMessages(TOPICS, id, "cam0",
                    ModelRef.of("colour", "sim-1"), 1, boot), new long[1]));
        }
        return devices;
    }

    /** The tiny model every simulated device runs. */
    static ModelRuntime model(Path dir) throws Exception {
        Path onnx = ColourModel.write(dir.resolve("colour.onnx"), false);
        return ModelRuntime.open(new ModelSpec(onnx, "colour", "sim-1", null, ColourModel.LABELS,
                ColourModel.PREPROCESS, null, null, OutputKind.LOGITS, 1.0), 1, Optimization.ALL);
    }

    private static void drain(List<Collector> collectors, List<Collector.Message> into, int[] perCollector) {
        for (int i = 0; i < collectors.size(); i++) {
            List<Collector.Message> got = collectors.get(i).drain();
            perCollector[i] += got.size();
            into.addAll(got);
        }
    }

    /** Round-robin over the devices at the fleet rate: synthetic frame, inference, event, spool append. */
    static void produce(List<Device> devices, ModelRuntime runtime, Postprocessor post, AtomicBoolean running) {
        produce(devices, runtime, post, running, RATE);
    }

    /** As {@link #produce(List, ModelRuntime, Postprocessor, AtomicBoolean)} at {@code rate} events/s per device. */
    static void produce(List<Device> devices, ModelRuntime runtime, Postprocessor post, AtomicBoolean running,
            double rate) {
        Random random = new Random(1);
        long intervalNanos = (long) (1e9 / (rate * devices.size()));
        long next = System.nanoTime();
        try (InferenceContext ctx = runtime.newContext()) {
            int i = 0;
            while (running.get()) {
                Device d = devices.get(i);
                i = (i + 1) % devices.size();
                Instant captured = Instant.now();
                FloatBuffer input = ctx.input();
                input.clear();
                while (input.hasRemaining()) {
                    input.put(random.nextFloat());
                }
                long t0 = System.nanoTime();
                Classification c = post.apply(ctx.run());
                double inferenceMs = (System.nanoTime() - t0) / 1e6;
                d.spool().append(d.messages().event(d.seq()[0], captured, c,
                        new LatencyBreakdown(0, 0, inferenceMs), null, null));
                d.seq()[0]++;
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("fleet producer failed", e);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    private static long brokerCpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}

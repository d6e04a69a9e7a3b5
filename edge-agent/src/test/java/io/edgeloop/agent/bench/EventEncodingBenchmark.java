package io.edgeloop.agent.bench;

import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.protocol.mqtt.LatencyBreakdown;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Topics;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark harness (not a timed test): what one classification event costs to build on the publish stage,
 * {@link EventMessages#event} (the record, Jackson to UTF-8 JSON bytes, the spooled message), with the top-5 of
 * 1000 labels as the agent publishes them: microseconds and bytes allocated per event on one thread (HotSpot's
 * per-thread allocation counter), and the payload size. Compare with the frame's budget: ~4 ms of inference per
 * frame for MobileNetV2 on this machine.
 *
 * <pre>
 * ./mvnw -B -pl edge-agent -am test -Dtest=EventEncodingBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.events=20000] [-Dbench.rounds=5]
 * </pre>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES) // long by design: not the build's 5-minute default
final class EventEncodingBenchmark {

    @Tag("benchmark")
    @Test
    void benchmark() {
        int events = Integer.getInteger("bench.events", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        EventMessages messages = new EventMessages(new Topics("edgeloop"), "rss-bench", "cam0",
                new ModelRef("mobilenet-v2", "3", "ab".repeat(32)), 1, "0123456789abcdef");
        List<Classification.Ranked> top = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            top.add(new Classification.Ranked("c" + (417 + i), 0.3123456789 / (i + 1)));
        }
        Classification c = new Classification("c417", 0.3123456789, 0.15, top, 0.5, 0.62);
        LatencyBreakdown latency = new LatencyBreakdown(1.23, 0.98, 4.01);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        double[] micros = new double[rounds];
        double[] allocated = new double[rounds];
        int bytes = 0;
        for (int round = -1; round < rounds; round++) {
            long a0 = threads.getThreadAllocatedBytes(id);
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                bytes = messages.event(i, Instant.now(), c, latency, null, null).payload().length;
            }
            long t1 = System.nanoTime();
            long a1 = threads.getThreadAllocatedBytes(id);
            if (round >= 0) {
                micros[round] = (t1 - t0) / 1e3 / events;
                allocated[round] = (double) (a1 - a0) / events;
            }
        }
        Arrays.sort(micros);
        Arrays.sort(allocated);
        System.out.printf(Locale.ROOT, "%nclassification event, top-5: %d bytes of JSON; %.1f µs and %.0f bytes"
                + " allocated per event (median of %d rounds of %d; fastest round %.1f µs); load average %.2f%n",
                bytes, micros[rounds / 2], allocated[rounds / 2], rounds, events, micros[0],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

package io.edgeloop.trainer.job;

import io.edgeloop.trainer.broker.BrokerException;
import io.edgeloop.trainer.collect.CollectorStats;
import io.edgeloop.trainer.collect.HardExampleCollector;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.MetricsSink;
import io.edgeloop.trainer.fleet.TelemetryIntake;
import io.edgeloop.trainer.fleet.TelemetryLog;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects hard examples from the fleet into an inbox until closed, and with {@link CollectRequest#telemetry()} also
 * records the devices' metrics for drift telemetry: what {@code trainer collect} runs, and what the demo or a
 * labelling web app start beside their own work.
 *
 * <pre>{@code
 * try (CollectJob job = CollectJob.start(CollectRequest.builder()
 *         .setBroker("tcp://127.0.0.1:1883").setInbox(work.resolve("inbox")).build())) {
 *     ...                           // devices send hard examples; job.summary() counts them
 * }                                 // close(): disconnects; the broker queues what comes meanwhile
 * }</pre>
 *
 * <p>{@link #start} returns only once subscribed and fails with a {@link BrokerException} when the broker refuses
 * or cannot be reached for {@link CollectRequest#connectAttempts()} attempts; a connection lost later is retried
 * for as long as the job runs, and nothing is acknowledged before it is on disk (see {@link HardExampleCollector}).
 */
public final class CollectJob implements AutoCloseable {

    private final CollectRequest request;
    private final HardExampleIntake intake;
    private final Optional<TelemetryIntake> telemetry;
    private final HardExampleCollector collector;

    private CollectJob(CollectRequest request, HardExampleIntake intake, Optional<TelemetryIntake> telemetry,
                       HardExampleCollector collector) {
        this.request = request;
        this.intake = intake;
        this.telemetry = telemetry;
        this.collector = collector;
    }

    /**
     * Opens (creating it if needed) the inbox, connects and subscribes.
     *
     * @throws BrokerException if the first connection failed every attempt (the message names the broker, the
     *                         client id, the attempts and the last failure)
     * @throws IOException     if the inbox cannot be created or holds an unreadable example (named)
     */
    public static CollectJob start(CollectRequest request) throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        Inbox inbox;
        try {
            inbox = Inbox.open(request.inbox());
        } catch (IOException e) {
            throw new IOException("cannot open the inbox " + request.inbox() + ": " + e.getMessage(), e);
        }
        HardExampleIntake intake = new HardExampleIntake(inbox, request.settings().topics(),
                request.nearDuplicateBits(), request.maxPerHour(), Clock.systemUTC());
        Optional<TelemetryIntake> telemetry = request.telemetry().map(dir -> new TelemetryIntake(
                new TelemetryLog(dir, request.telemetryMaxBytes()), request.settings().topics()));
        HardExampleCollector collector = HardExampleCollector.connect(request.settings(), intake,
                telemetry.map(t -> (MetricsSink) t::accept), request.connectAttempts());
        return new CollectJob(request, intake, telemetry, collector);
    }

    /** What this job was started with. */
    public CollectRequest request() {
        return request;
    }

    /** The counts so far: received, stored, duplicates, rejected, throttled, failed. */
    public CollectorStats.Summary summary() {
        return intake.stats().summary();
    }

    /** The drift telemetry counters; empty when the job does not record telemetry. */
    public Optional<TelemetryIntake.Summary> telemetry() {
        return telemetry.map(TelemetryIntake::summary);
    }

    /** How many times the job connected and subscribed (1 + reconnects). */
    public long connections() {
        return collector.connections();
    }

    /**
     * Disconnects (the broker keeps the session, so examples sent meanwhile wait for the next start) and releases
     * the client; waits at most about 10 s. {@link #summary()} then holds the final counts.
     */
    @Override
    public void close() {
        collector.close();
    }
}

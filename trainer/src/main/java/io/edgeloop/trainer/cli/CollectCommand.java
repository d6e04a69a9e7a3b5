package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.CollectDefaults;
import io.edgeloop.trainer.collect.CollectorSettings;
import io.edgeloop.trainer.fleet.TelemetryLog;
import io.edgeloop.trainer.job.CollectJob;
import io.edgeloop.trainer.job.CollectRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer collect}: runs a {@link CollectJob} until stopped (Ctrl-C / SIGTERM) or for {@code --duration}
 * seconds, then prints a summary line. Examples land in {@code <dir>/inbox/}, drift telemetry (the devices' metrics
 * messages) in {@code <dir>/telemetry/} unless {@code --no-telemetry}. A broker that refuses the first
 * connection or cannot be reached is a failure (exit 1) after {@value CollectRequest#DEFAULT_CONNECT_ATTEMPTS}
 * attempts; a connection lost later is retried.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect hard examples from the fleet over MQTT into DIR/inbox (JPEG + JSON sidecar).")
public final class CollectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URI",
            description = "MQTT broker, e.g. tcp://127.0.0.1:1883.")
    private String broker;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Working directory; examples go to DIR/inbox.")
    private Path dir;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "MQTT client id; keep it stable across restarts (the broker queues examples under it)."
                    + " Default: collector-<hostname>.")
    private String clientId;

    @Option(names = "--group", defaultValue = CollectorSettings.DEFAULT_GROUP, paramLabel = "GROUP",
            description = "Shared-subscription group; collectors in one group split the examples."
                    + " Default: ${DEFAULT-VALUE}.")
    private String group;

    @Option(names = "--prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Topic prefix. Default: ${DEFAULT-VALUE}.")
    private String prefix;

    @Option(names = "--session-expiry", defaultValue = "604800", paramLabel = "SECONDS",
            description = "How long the broker keeps queueing for this collector while it is away."
                    + " Default: ${DEFAULT-VALUE} (7 days).")
    private long sessionExpirySeconds;

    @Option(names = "--near-duplicate-bits", defaultValue = "" + CollectDefaults.NEAR_DUPLICATE_BITS,
            paramLabel = "N",
            description = "Skip an example whose 64-bit difference hash is within N bits of a stored one; -1 turns"
                    + " this off (exact duplicates are always skipped). Default: ${DEFAULT-VALUE}.")
    private int nearDuplicateBits;

    @Option(names = "--max-per-hour", defaultValue = "0", paramLabel = "N",
            description = "Store at most N examples per device per sliding hour; 0 for no limit."
                    + " Default: ${DEFAULT-VALUE}.")
    private int maxPerHour;

    @Option(names = "--no-telemetry", negatable = false,
            description = "Do not record the devices' metrics (drift telemetry) into DIR/telemetry.")
    private boolean noTelemetry;

    @Option(names = "--telemetry-max-bytes", defaultValue = "" + TelemetryLog.DEFAULT_MAX_BYTES, paramLabel = "N",
            description = "Rotate a camera's telemetry file at N bytes (DIR/telemetry/DEVICE/CAMERA.jsonl becomes"
                    + " CAMERA.1.jsonl), so a camera takes at most 2N. Default: ${DEFAULT-VALUE} (4 MiB).")
    private long telemetryMaxBytes;

    @Mixin
    private MqttLoginOptions login;

    @Mixin
    private StopOptions stopOptions;

    @Override
    public Integer call() throws InterruptedException {
        stopOptions.validate();
        CollectRequest request = CollectRequest.builder()
                .setBroker(broker)
                .setInbox(dir.resolve("inbox"))
                .optClientId(clientId)
                .optGroup(group)
                .optPrefix(prefix)
                .optSessionExpiry(Duration.ofSeconds(sessionExpirySeconds))
                .optNearDuplicateBits(nearDuplicateBits)
                .optMaxPerHour(maxPerHour)
                .optCredentials(login.credentials(System.getenv()))
                .optTelemetry(noTelemetry ? null : dir.resolve(TelemetryLog.FOLDER))
                .optTelemetryMaxBytes(telemetryMaxBytes)
                .build();
        PrintWriter out = spec.commandLine().getOut();
        CollectJob job;
        try {
            job = CollectJob.start(request);
        } catch (IOException e) {
            throw new JobFailure(e.getMessage(), e);
        }
        try (StopOptions.Signal stop = stopOptions.watch("collect-shutdown")) {
            try (job) {
                out.println("Collecting hard examples from " + request.settings().brokerUri() + " ("
                        + request.settings().filter() + ", client id " + request.settings().clientId() + ") into "
                        + request.inbox());
                request.telemetry().ifPresent(t -> out.println("Recording drift telemetry ("
                        + request.settings().metricsFilter() + ") into " + t));
                out.flush();
                stop.await();
            } finally {
                out.println("Summary: " + job.summary());
                job.telemetry().ifPresent(t -> out.println("Telemetry: " + t));
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}

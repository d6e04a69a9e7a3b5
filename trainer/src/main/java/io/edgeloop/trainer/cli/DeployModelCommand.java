package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.job.DeployJob;
import io.edgeloop.trainer.job.DeployRequest;
import io.edgeloop.trainer.job.DeployResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer deploy}: runs a {@link DeployJob} and prints each device's deploy state as it arrives. Exit 0 only
 * when published (without {@code --wait}) or active everywhere expected (with it); 2 for bad input (model without a
 * valid card, bad key, bad option); 1 otherwise.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Sign a model package and deploy it over MQTT (retained command), optionally waiting for the"
                + " device(s) to activate it.")
public final class DeployModelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx",
            description = "Model package from 'trainer fit' (ONNX with a model card).")
    private Path model;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE.pem",
            description = "Ed25519 private key (PKCS#8 PEM, owner-only), e.g. the deploy.pem of 'trainer keys"
                    + " generate'.")
    private Path key;

    @Option(names = "--broker", required = true, paramLabel = "URI",
            description = "MQTT broker, e.g. tcp://127.0.0.1:1883.")
    private String broker;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    static final class Target {
        @Option(names = "--device", paramLabel = "ID", description = "Deploy to this device.")
        String device;

        @Option(names = "--fleet", description = "Deploy to every device.")
        boolean fleet;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Delivery delivery;

    static final class Delivery {
        @Option(names = "--inline", description = "Carry the model in the command as base64 (default; up to ~12 MiB).")
        boolean inline;

        @Option(names = "--url", paramLabel = "URL",
                description = "Devices download the model from this https, http or file URL.")
        String url;
    }

    @Option(names = "--no-check-url", negatable = false,
            description = "Do not download --url to check it serves this model (when only the devices can reach it).")
    private boolean noCheckUrl;

    @Option(names = "--wait", defaultValue = "0", paramLabel = "SECONDS",
            description = "Follow the deploy status for up to this many seconds; 0 = publish only."
                    + " Default: ${DEFAULT-VALUE}.")
    private long waitSeconds;

    @Option(names = "--prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Topic prefix. Default: ${DEFAULT-VALUE}.")
    private String prefix;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id. Default: edgeloop-deploy-<pid>.")
    private String clientId;

    @Mixin
    private MqttLoginOptions login;

    private Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("--wait is " + waitSeconds + ", allowed 0 or more seconds");
        }
        DeployRequest request = DeployRequest.builder()
                .setModel(model)
                .setKey(key)
                .setBroker(broker)
                .setTarget(target.fleet ? DeployTarget.fleet() : DeployTarget.device(target.device))
                .optUrl(delivery == null ? null : delivery.url)
                .optCheckUrl(!noCheckUrl)
                .optWaitFor(Duration.ofSeconds(waitSeconds))
                .optPrefix(prefix)
                .optClientId(clientId)
                .optCredentials(login.credentials(System.getenv()))
                .build();
        PrintWriter out = spec.commandLine().getOut();
        DeployResult result;
        try {
            result = new DeployJob(clock).run(request, new Printer(out));
        } catch (IOException e) {
            throw new JobFailure(e.getMessage(), e);
        }
        switch (result.outcome()) {
            case PUBLISHED -> out.println("Published; not waiting for the devices (use --wait SECONDS to follow"
                    + " them).");
            case ACTIVE -> out.println("Deploy complete: " + result.summary());
            case NOT_ACTIVE -> throw new JobFailure("deploy not active: " + result.summary());
            case NO_FINAL_STATUS -> throw new JobFailure("no final status within " + waitSeconds + " s: "
                    + result.summary());
        }
        return ExitCodes.OK;
    }

    /** Prints the deploy line once connected, then each new device state. */
    private record Printer(PrintWriter out) implements DeployJob.Listener {

        @Override
        public void publishing(DeployCommand command, DeployRequest request, String topic) {
            out.printf("Deploying %s %s (sha256 %s, %d bytes, %s, key %s) to %s on %s (retained)%n",
                    command.name(), command.version(), command.sha256(), command.sizeBytes(),
                    command.inline() != null ? "inline" : command.url(), command.keyId(), request.target(), topic);
            out.flush();
        }

        @Override
        public void status(DeployStatus status) {
            out.println(status.device() + ": " + DeployProgress.describe(status));
            out.flush();
        }
    }

    /** For tests: the clock that stamps {@code issuedAt}. */
    public DeployModelCommand withClock(Clock c) {
        this.clock = c;
        return this;
    }
}

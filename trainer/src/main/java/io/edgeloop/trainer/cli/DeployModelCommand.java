package io.edgeloop.trainer.cli;

import java.util.concurrent.Callable;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.deploy.Deployer;
import io.edgeloop.trainer.deploy.SignedDeployment;
import io.edgeloop.trainer.deploy.UrlCheck;

import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.collect.MqttCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer deploy}: signs a model package and publishes it as a retained deploy command to one device or the
 * fleet; with {@code --wait}, prints each device's deploy state until {@code active}, {@code rejected} /
 * {@code rolled-back}, or the timeout. Exit 0 only when published (without {@code --wait}) or active everywhere
 * expected (with it); 2 for bad input (model without a valid card, bad key, bad option); 1 otherwise.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Sign a model package and deploy it over MQTT (retained command), optionally waiting for the"
                + " device(s) to activate it.")
public final class DeployModelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = "Model package (ONNX with a model card).")
    private Path model;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE.pem", description = "Ed25519 private key (PKCS#8 PEM, owner-only).")
    private Path key;

    @Option(names = "--broker", required = true, paramLabel = "URI", description = "MQTT broker, e.g. tcp://127.0.0.1:1883.")
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

        @Option(names = "--url", paramLabel = "URL", description = "Devices download the model from this https, http or file URL.")
        String url;
    }

    @Option(names = "--no-check-url", negatable = false,
            description = "Do not download --url to check it serves this model (when only the devices can reach it).")
    private boolean noCheckUrl;

    @Option(names = "--wait", defaultValue = "0", paramLabel = "SECONDS",
            description = "Follow the deploy status for up to this many seconds; 0 = publish only. Default: ${DEFAULT-VALUE}.")
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
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        DeployTarget deployTarget;
        Topics topics;
        DeployCommand command;
        MqttCredentials credentials;
        credentials = login.credentials(System.getenv());
        try {
            if (waitSeconds < 0) {
                throw new IllegalArgumentException("--wait is " + waitSeconds + ", allowed 0 or more seconds");
            }
            deployTarget = target.fleet ? DeployTarget.fleet() : DeployTarget.device(target.device);
            topics = new Topics(prefix);
            ModelSigner signer = ModelSigner.fromFile(key);
            String url = delivery == null ? null : delivery.url;
            command = SignedDeployment.create(model, signer, url, clock.instant());
        } catch (IllegalArgumentException | KeyFileException | ModelPackageException e) {
            return CommandLines.badInput(cmd, e.getMessage());
        } catch (IOException e) {
            return CommandLines.failure(cmd, "cannot read " + model + ": " + e);
        }
        if (command.url() != null && !noCheckUrl) {
            try {
                UrlCheck.check(command, Duration.ofSeconds(30));
            } catch (IllegalArgumentException e) {
                return CommandLines.badInput(cmd, e.getMessage());
            } catch (IOException e) {
                return CommandLines.failure(cmd, "cannot fetch --url " + command.url() + " (" + e
                        + "); use --no-check-url if only the devices can reach it");
            }
        }
        String id = clientId != null ? clientId : "edgeloop-deploy-" + ProcessHandle.current().pid();
        try (Deployer deployer = Deployer.connect(broker, id, topics, credentials)) {
            out.printf("Deploying %s %s (sha256 %s, %d bytes, %s, key %s) to %s on %s (retained)%n",
                    command.name(), command.version(), command.sha256(), command.sizeBytes(),
                    command.inline() != null ? "inline" : command.url(), command.keyId(), deployTarget,
                    deployTarget.commandTopic(topics));
            out.flush();
            DeployProgress progress = deployer.deploy(deployTarget, command, Duration.ofSeconds(waitSeconds),
                    status -> {
                        out.println(status.device() + ": " + DeployProgress.describe(status));
                        out.flush();
                    });
            if (waitSeconds == 0) {
                out.println("Published; not waiting for the devices (use --wait SECONDS to follow them).");
                return ExitCodes.OK;
            }
            if (progress.succeeded()) {
                out.println("Deploy complete: " + progress.describe());
                return ExitCodes.OK;
            }
            if (progress.done()) {
                return CommandLines.failure(cmd, "deploy not active: " + progress.describe());
            }
            return CommandLines.failure(cmd, "no final status within " + waitSeconds + " s: " + progress.describe());
        } catch (MqttException e) {
            return CommandLines.failure(cmd, "broker " + broker + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return CommandLines.badInput(cmd, "broker is \"" + broker + "\": " + e.getMessage());
        }
    }

    /** For tests: the clock that stamps {@code issuedAt}. */
    public DeployModelCommand withClock(Clock c) {
        this.clock = c;
        return this;
    }
}

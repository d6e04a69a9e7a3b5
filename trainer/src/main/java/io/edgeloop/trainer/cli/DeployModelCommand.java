package io.edgeloop.trainer.cli;

import ai.onnxruntime.OrtException;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.trainer.gate.GateRule;
import io.edgeloop.trainer.job.DecodePool;
import io.edgeloop.trainer.job.GateJob;
import io.edgeloop.trainer.job.GateRequest;
import io.edgeloop.trainer.job.GateResult;
import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.job.StatusSource;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.job.DeployJob;
import io.edgeloop.trainer.job.DeployRequest;
import io.edgeloop.trainer.job.DeployResult;
import io.edgeloop.trainer.job.RolloutJob;
import io.edgeloop.trainer.job.RolloutRequest;
import io.edgeloop.trainer.deploy.CanarySize;
import io.edgeloop.trainer.job.ShadowDeploy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
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

        @Option(names = "--group", paramLabel = "G",
                description = "Deploy to the online devices whose status lists group G (per-device commands).")
        String group;
    }

    @Option(names = "--canary", paramLabel = "N%|N",
            description = "With --fleet: deploy to N%% (or N) devices first, sorted by id; the rest only once they"
                    + " are active and stayed healthy for --soak. Needs --wait.")
    private String canary;

    @Option(names = "--canary-group", paramLabel = "G", description = "Take the canary from group G.")
    private String canaryGroup;

    @Option(names = "--soak", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long the canary must stay healthy once active. Default: ${DEFAULT-VALUE}.")
    private long soakSeconds;

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

    @Option(names = "--rollback", negatable = false,
            description = "Allow a model older than the one the devices run (by the creation time in its signed"
                    + " card); without it devices refuse such a downgrade.")
    private boolean rollback;

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

    @ArgGroup(exclusive = false, heading = "%nQuality gate (judge the model against what the devices run first):%n")
    private GateOptions gate;

    @Mixin
    private ShadowOptions shadow = new ShadowOptions();

    /** {@code --gate DIR} and what tunes it; absent: no gate. */
    static final class GateOptions {
        @Option(names = "--gate", required = true, paramLabel = "DIR",
                description = "Held-out ImageFolder to judge on. The deploy is refused (exit 1) when the model is"
                        + " worse than the version the target devices run.")
        Path data;

        @Option(names = "--inbox", paramLabel = "DIR",
                description = "Also judge on the inbox's labelled hard examples neither model was trained on.")
        Path inbox;

        @Option(names = "--registry", paramLabel = "DIR", defaultValue = ModelRegistry.DEFAULT_FOLDER,
                description = "Model registry holding the devices' versions. Default: ${DEFAULT-VALUE}.")
        Path registry;

        @Option(names = "--baseline", paramLabel = "MODEL.onnx",
                description = "The model to beat, instead of what the devices report running.")
        Path baseline;

        @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05",
                description = "Significance level of 'worse' (McNemar). Default: ${DEFAULT-VALUE}.")
        double alpha;

        @Option(names = "--max-drop", paramLabel = "POINTS",
                description = "Also refuse an accuracy drop of more than POINTS, significant or not.")
        Double maxDrop;

        @Option(names = "--status-wait", paramLabel = "SECONDS", defaultValue = "3",
                description = "How long to collect the devices' retained status. Default: ${DEFAULT-VALUE}.")
        long statusWait;

        @Option(names = "--force", description = "Deploy even when the gate refuses the model.")
        boolean force;

        GateRule rule() {
            return new GateRule(alpha, maxDrop == null ? OptionalDouble.empty() : OptionalDouble.of(maxDrop));
        }
    }

    /** How long a rollout collects the retained status before choosing devices (retained messages come at once). */
    private static final Duration ROLLOUT_STATUS_WAIT = Duration.ofSeconds(2);

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
                .setTarget(target.fleet || target.group != null ? DeployTarget.fleet()
                        : DeployTarget.device(target.device))
                .optUrl(delivery == null ? null : delivery.url)
                .optCheckUrl(!noCheckUrl)
                .optWaitFor(Duration.ofSeconds(waitSeconds))
                .optPrefix(prefix)
                .optClientId(clientId)
                .optCredentials(login.credentials(System.getenv()))
                .optRollback(rollback)
                .build();
        ShadowDeploy shadowDeploy = shadow.deploy();
        PrintWriter out = spec.commandLine().getOut();
        boolean staged = target.group != null || canary != null || canaryGroup != null;
        if (staged && shadowDeploy.end().isPresent()) {
            throw new IllegalArgumentException("--promote and --abort go to one device or the fleet, not with"
                    + " --group or --canary: end a canary's shadow on its device(s) with --device ID");
        }
        Optional<RolloutRequest> rollout = staged ? Optional.of(rolloutRequest(request, shadowDeploy))
                : Optional.empty();
        if (gate != null) {
            passGate(request, out);
        }
        if (rollout.isPresent()) {
            return new RolloutPrinter(out).run(new RolloutJob(clock), rollout.get());
        }
        DeployResult result;
        try {
            result = new DeployJob(clock).run(request, shadowDeploy, new Printer(out));
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

    private RolloutRequest rolloutRequest(DeployRequest request, ShadowDeploy shadowDeploy) {
        if (canary != null && !target.fleet) {
            throw new IllegalArgumentException("--canary " + canary + " needs --fleet, allowed --fleet --canary N%"
                    + " or N (with --canary-group G to take the canary from a group)");
        }
        if (canaryGroup != null && canary == null) {
            throw new IllegalArgumentException("--canary-group " + canaryGroup + " needs --fleet --canary N% or N");
        }
        if (soakSeconds < 0) {
            throw new IllegalArgumentException("--soak is " + soakSeconds + ", allowed 0 or more seconds");
        }
        return new RolloutRequest(request, Optional.ofNullable(target.group),
                Optional.ofNullable(canary).map(CanarySize::parse), Optional.ofNullable(canaryGroup),
                Duration.ofSeconds(soakSeconds), ROLLOUT_STATUS_WAIT, shadowDeploy.request());
    }

    private void passGate(DeployRequest request, PrintWriter out) throws InterruptedException {
        GateRequest judge = new GateRequest(request.model(), gate.data, Optional.ofNullable(gate.inbox),
                gate.registry, Optional.ofNullable(gate.baseline), request.target(),
                Optional.of(new StatusSource(request.broker(), Duration.ofSeconds(gate.statusWait), request.topics(),
                        request.clientId() + "-gate", request.credentials())), gate.rule(),
                DecodePool.defaultThreads(), Optional.ofNullable(target.group));
        GateResult result;
        try {
            result = new GateJob().run(judge);
        } catch (IOException | OrtException | ModelPackageException e) {
            throw new JobFailure("gate: " + e.getMessage(), e);
        }
        GateReport.print(out, result);
        out.flush();
        if (result.passed()) {
            return;
        }
        String why = result.refusals();
        if (!gate.force) {
            throw new JobFailure("gate: not deployed (" + why + "); deploy anyway with --force");
        }
        out.println("gate: --force given, deploying although the gate refuses the model (" + why + ")");
    }

    /** Prints the deploy line once connected, then each new device state. */
    private record Printer(PrintWriter out) implements DeployJob.Listener {

        @Override
        public void publishing(DeployCommand command, DeployRequest request, String topic) {
            out.printf("Deploying %s %s to %s (%s, %d bytes, key %s)%n", command.name(), command.version(),
                    request.target(), command.inline() != null ? "inline" : command.url(), command.sizeBytes(),
                    command.keyId());
            out.printf("  sha256 %s%n  on %s (retained)%n", command.sha256(), topic);
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

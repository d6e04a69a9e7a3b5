package io.edgeloop.trainer.job;

import ai.onnxruntime.OrtException;
import io.edgeloop.protocol.files.AtomicFiles;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.tls.PemTls;
import io.edgeloop.protocol.tls.PemTlsException;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.MqttCredentials;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.gate.GateRule;
import io.edgeloop.trainer.loop.LabelledExamples;
import io.edgeloop.trainer.loop.LoopConfig;
import io.edgeloop.trainer.loop.RoundLock;
import io.edgeloop.trainer.loop.TrainingTree;
import io.edgeloop.trainer.registry.HardExamples;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.registry.RegistryEntry;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One unattended round of the closed loop, what {@code trainer retrain --config loop.yaml} runs from a timer: finds
 * the version the target devices run (the <em>active</em> one), sorts the inbox's labelled hard examples
 * ({@link LabelledExamples}), and when there are at least {@code min-new-labels} usable ones the active version was
 * not trained on, fine-tunes a new version from it on the curated data plus every usable labelled example (strategy
 * as configured, {@code auto} by default), registers it, judges it with {@link GateJob} and deploys it with
 * {@link DeployJob} when it passes.
 *
 * <pre>{@code
 * RetrainResult r = new RetrainJob(TrainerServices.defaults(), System.getenv(), Clock.systemUTC())
 *         .run(LoopConfig.load(Path.of("/etc/edgeloop/loop.yaml")), RetrainJob.Listener.NONE);
 * if (!r.succeeded()) { ... r.reason() says what refused the candidate or how the deploy ended ... }
 * }</pre>
 *
 * <p>Nothing a person gave is lost: labels of classes the data has no folder for, images that changed or cannot be
 * decoded, are left out and counted (the listener hears each kind), and the round goes on with the rest. A refused
 * candidate stays registered (its figures in {@code <work>/<version>/round.json}) and is not deployed. Every round
 * writes {@code <work>/last-round.json}. Bad configuration is an {@link IllegalArgumentException} naming the key; a
 * broker that cannot be reached a {@link JobFailure}.
 */
public final class RetrainJob {

    /** Follows a round as it happens (the command prints each line). */
    public interface Listener {

        /** Ignores everything. */
        Listener NONE = new Listener() {
        };

        /** One step or finding, as a line for people. */
        default void say(String line) {
        }

        /** The gate judged the candidate (before it is deployed or refused). */
        default void gate(GateResult result) {
        }

        /** Training progress of the candidate. */
        default FitListener training() {
            return FitListener.NONE;
        }
    }

    /** The last round's summary in the work folder. */
    public static final String LAST_ROUND = "last-round.json";
    /** A candidate's round summary in its folder of the work folder. */
    public static final String ROUND = "round.json";

    private final TrainerServices services;
    private final Map<String, String> environment;
    private final Clock clock;

    /**
     * @param environment where {@code deploy.password-env} is looked up
     * @param clock       names a version when the registered ones are not numbered
     */
    public RetrainJob(TrainerServices services, Map<String, String> environment, Clock clock) {
        this.services = Objects.requireNonNull(services, "services");
        this.environment = Map.copyOf(environment);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs one round. */
    public RetrainResult run(LoopConfig config, Listener listener) throws IOException, InterruptedException,
            OrtException, ModelPackageException {
        Optional<RoundLock> lock = RoundLock.tryAcquire(config.work());
        if (lock.isEmpty()) {
            RetrainResult busy = new RetrainResult(RetrainResult.Outcome.BUSY, "another round holds "
                    + config.work().resolve(RoundLock.FILE) + "; nothing done", Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            listener.say(busy.reason());
            return busy;
        }
        try (RoundLock held = lock.get()) {
            RetrainResult result = round(config, listener);
            AtomicFiles.replace(config.work().resolve(LAST_ROUND), summary(config, result));
            result.candidate().ifPresent(v -> write(config.work().resolve(v.version()).resolve(ROUND),
                    summary(config, result)));
            return result;
        }
    }

    private RetrainResult round(LoopConfig config, Listener listener) throws IOException, InterruptedException,
            OrtException, ModelPackageException {
        LoopConfig.Deploy d = config.deploy();
        DeployTarget target = d.device().map(DeployTarget::device).orElseGet(DeployTarget::fleet);
        MqttCredentials login = credentials(config);
        StatusSource status = new StatusSource(d.broker(), Duration.ofSeconds(config.gate().statusWait()),
                new Topics(d.prefix()), "edgeloop-retrain-" + ProcessHandle.current().pid(), login);
        ModelRegistry registry = new ModelRegistry(config.registry());
        RegisteredVersion active = active(config, registry, target, status, listener);

        List<String> classes = ImageFolder.scan(config.data()).labels();
        Set<String> seen = new HashSet<>();
        HardExamples.read(active.folder()).forEach(e -> seen.add(e.id()));
        LabelledExamples labels = LabelledExamples.of(Inbox.openExisting(config.inbox()).list(), classes, seen,
                config.holdout());
        tell(labels, active, listener);
        if (labels.fresh() < config.minNewLabels()) {
            return new RetrainResult(RetrainResult.Outcome.NOTHING_TO_DO, labels.fresh() + " new label(s) since "
                    + active.version() + ", need " + config.minNewLabels() + " (min-new-labels); nothing trained",
                    Optional.of(active), Optional.of(labels), Optional.empty(), Optional.empty(), Optional.empty());
        }

        String version = nextVersion(registry, config.model());
        registry.requireFree(config.model(), version);
        Path roundDir = config.work().resolve(version);
        Path tree = roundDir.resolve("train");
        Map<String, Integer> added = TrainingTree.build(config.data(), labels.training(), tree);
        listener.say("training " + config.model() + " " + version + " from " + active.version() + " on "
                + config.data() + " + " + added.values().stream().mapToInt(Integer::intValue).sum()
                + " labelled hard example(s) " + added);
        FineTuneResult fit = new FineTuneJob(services).run(fineTune(config, active, tree, roundDir, version),
                listener.training());
        listener.say(fit.fit().decision().reason());
        RegisteredVersion candidate = new RegistryJob(config.registry()).register(fit, tree);
        listener.say("registered " + candidate.folder());

        GateResult gate = new GateJob().run(new GateRequest(candidate.folder().resolve(ModelRegistry.MODEL),
                config.gate().data(), Optional.of(config.inbox()), config.registry(), Optional.empty(), target,
                Optional.of(status), new GateRule(config.gate().alpha(), config.gate().maxDropPoints()),
                threads(config)));
        listener.gate(gate);
        if (!gate.passed()) {
            return new RetrainResult(RetrainResult.Outcome.REFUSED, "the gate refused " + config.model() + " "
                    + version + " (" + gate.refusals() + "); it stays registered, nothing deployed",
                    Optional.of(active), Optional.of(labels), Optional.of(candidate), Optional.of(gate),
                    Optional.empty());
        }
        DeployResult deployed = new DeployJob(clock).run(DeployRequest.builder()
                .setModel(candidate.folder().resolve(ModelRegistry.MODEL)).setKey(d.key()).setBroker(d.broker())
                .setTarget(target).optWaitFor(Duration.ofSeconds(d.waitSeconds())).optPrefix(d.prefix())
                .optClientId("edgeloop-retrain-deploy-" + ProcessHandle.current().pid()).optCredentials(login)
                .build(), new DeployJob.Listener() {
                    @Override
                    public void status(DeployStatus s) {
                        listener.say(s.device() + ": " + DeployProgress.describe(s));
                    }
                });
        RetrainResult.Outcome outcome = deployed.succeeded() ? RetrainResult.Outcome.DEPLOYED
                : RetrainResult.Outcome.NOT_DEPLOYED;
        String what = config.model() + " " + version + " to " + target;
        String reason = switch (deployed.outcome()) {
            case PUBLISHED -> "deployed " + what + ": published, not following the devices (deploy.wait is 0)";
            case ACTIVE -> "deployed " + what + ": " + deployed.summary();
            case NOT_ACTIVE, NO_FINAL_STATUS -> "the deploy of " + what + " did not become active: "
                    + deployed.summary();
        };
        return new RetrainResult(outcome, reason, Optional.of(active), Optional.of(labels), Optional.of(candidate),
                Optional.of(gate), Optional.of(deployed));
    }

    /** The newest registered version the target devices run, or the newest registered one when they run none. */
    private static RegisteredVersion active(LoopConfig config, ModelRegistry registry, DeployTarget target,
                                            StatusSource status, Listener listener)
            throws IOException, InterruptedException {
        List<RegisteredVersion> versions = registry.entries().stream()
                .filter(e -> e instanceof RegisteredVersion v && v.name().equals(config.model()))
                .map(e -> (RegisteredVersion) e)
                .sorted(Comparator.comparing((RegisteredVersion v) -> v.card().created())).toList();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException(config.source() + ": model: " + config.registry() + " has no usable"
                    + " version of " + config.model() + "; register a first one with 'trainer fit --register --name "
                    + config.model() + "'");
        }
        Map<String, DeviceStatus> statuses = status.read();
        Set<String> running = new HashSet<>();
        statuses.values().stream().filter(s -> target.isFleet() || s.device().equals(target.device()))
                .filter(s -> s.model() != null && s.model().sha256() != null)
                .forEach(s -> running.add(s.model().sha256()));
        List<RegisteredVersion> deployed = versions.stream().filter(v -> running.contains(v.sha256())).toList();
        if (deployed.isEmpty()) {
            RegisteredVersion newest = versions.get(versions.size() - 1);
            listener.say(target + " runs no registered version of " + config.model() + "; continuing from the newest,"
                    + " " + newest.version());
            return newest;
        }
        RegisteredVersion active = deployed.get(deployed.size() - 1);
        listener.say("active: " + config.model() + " " + active.version() + " (run by " + target + ")");
        return active;
    }

    private static void tell(LabelledExamples labels, RegisteredVersion active, Listener listener) {
        listener.say("labelled hard examples: " + labels.fresh() + " new since " + active.version() + ", "
                + labels.training().size() + " to train on, " + labels.heldOut().size() + " held out for the gate;"
                + " " + labels.unlabelled() + " unlabelled, " + labels.discarded() + " discarded");
        labels.otherClass().forEach((label, n) -> listener.say("left out: " + n + " labelled \"" + label + "\", not a"
                + " class folder of the training data (create the folder with a few images to add the class)"));
        labels.unreadable().forEach(u -> listener.say("left out: " + u));
    }

    private FineTuneRequest fineTune(LoopConfig config, RegisteredVersion active, Path tree, Path roundDir,
                                     String version) {
        LoopConfig.Training t = config.training();
        FitConfig.Builder training = FitConfig.builder().strategy(t.strategy()).epochs(t.epochs())
                .augment(t.augment());
        t.learningRate().ifPresent(training::learningRate);
        t.seed().ifPresent(training::seed);
        return FineTuneRequest.builder().setBase(active.folder().resolve(ModelRegistry.MODEL)).setData(tree)
                .setOutDir(roundDir.resolve("run")).optTraining(training.build()).optThreads(threads(config))
                .optName(config.model()).optVersion(version).build();
    }

    /** One more than the highest version when they are all whole numbers; otherwise the UTC time. */
    private String nextVersion(ModelRegistry registry, String model) throws IOException {
        List<String> versions = registry.entries().stream().filter(e -> e.name().equals(model))
                .map(RegistryEntry::version).toList();
        if (versions.stream().allMatch(v -> v.matches("\\d{1,9}"))) {
            return Integer.toString(versions.stream().mapToInt(Integer::parseInt).max().orElse(0) + 1);
        }
        return ModelNames.defaultVersion(clock);
    }

    private static int threads(LoopConfig config) {
        return config.training().threads().orElse(DecodePool.defaultThreads());
    }

    private static final PemTls.Names TLS_NAMES = new PemTls.Names("deploy.tls-ca", "deploy.tls-ca",
            "deploy.tls-cert", "deploy.tls-key", "an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");

    private MqttCredentials credentials(LoopConfig config) throws IOException {
        LoopConfig.Deploy d = config.deploy();
        try {
            MqttCredentials login = MqttCredentials.fromOptions(d.username().orElse(null),
                    d.passwordEnv().orElse(null), d.passwordFile().orElse(null), environment);
            if (d.tlsCa().isEmpty()) {
                return login;
            }
            return login.withTls(PemTls.socketFactory(d.tlsCa().get(), d.tlsCert().orElse(null),
                    d.tlsKey().orElse(null), null, TLS_NAMES));
        } catch (PemTlsException e) {
            throw new IllegalArgumentException(config.source() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.source() + ": deploy: " + e.getMessage(), e);
        }
    }

    private static byte[] summary(LoopConfig config, RetrainResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config.source().toString());
        doc.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        doc.put("reason", r.reason());
        r.active().ifPresent(v -> doc.put("active", v.version()));
        r.labels().ifPresent(l -> {
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put("new", l.fresh());
            labels.put("trainedOn", l.training().size());
            labels.put("heldOut", l.heldOut().size());
            labels.put("otherClass", l.otherClass());
            labels.put("unreadable", l.unreadable());
            labels.put("unlabelled", l.unlabelled());
            labels.put("discarded", l.discarded());
            doc.put("labels", labels);
        });
        r.candidate().ifPresent(v -> doc.put("candidate", v.version()));
        r.gate().ifPresent(g -> doc.put("gate", g.judged().stream().map(j -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("baseline", j.baseline());
            row.put("images", j.comparison().images());
            row.put("baselineAccuracy", j.comparison().baselineAccuracy());
            row.put("candidateAccuracy", j.comparison().candidateAccuracy());
            row.put("pValue", j.comparison().test().pValue());
            row.put("verdict", j.comparison().verdict().text());
            row.put("refusal", j.refusal().orElse(null));
            return row;
        }).toList()));
        r.deploy().ifPresent(dep -> doc.put("deploy", dep.summary()));
        try {
            return ProtocolJson.prettyWriter().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the round summary", e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            AtomicFiles.replace(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

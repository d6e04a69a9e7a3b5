package io.edgeloop.agent.deploy;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.DeployConfig;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.ReadOptions;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.signing.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies deploy commands from the device's and the fleet's deploy topics, one at a time on its own thread:
 * received → verifying (fetch; size, SHA-256, trusted key, Ed25519 signature; store under
 * {@code models/<name>/<version>/}; read the package, whose card must be valid and name the command's model) →
 * smoke-testing (load an ONNX Runtime session, run it on zeros and on the cameras' last frames) → active (the
 * {@link Host} swaps the model in and the "current" pointer is written), or rejected with the reason. Every state is
 * published retained on the deploy status topic. A command issued at or before the last applied one is ignored. A
 * model whose signed card was made before the running model's is rejected unless the command is an explicit
 * {@code rollback}.
 * After activation a health check watches the next frames; if most fail in inference, the previous model is
 * restored and the deploy ends {@code rolled-back}.
 *
 * <p>A command with {@code shadow} is verified and smoke-tested the same way, then runs as a {@link ShadowSession}
 * beside the active model instead of replacing it (its labels must be the active model's): {@code shadowing}
 * reports at intervals, and at the end it is promoted through the same switch (smoke test, activation, health
 * check) if its agreement rule holds, or dropped ({@code shadow-dropped}, with the reason). A later command with
 * {@code end} for the same model (same sha256, signature verified again) promotes or drops it at once; any other
 * deploy drops it first. The executor never waits for a shadow: its end arrives as a task.
 */
public final class DeployService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployService.class);
    private static final int MAX_REASON = 1000;

    /** What the service needs from the running agent. */
    public interface Host {
        /** The model serving now. */
        ModelSpec running();

        /** The cameras' most recent frames, for the smoke test. */
        List<Frame> recentFrames();

        /** Swaps the new runtime in (the host owns it from now on) and republishes the birth status. */
        void activate(ModelRuntime runtime);

        /** Queues a message for the broker (the spool: in order, survives outages). */
        void publish(SpooledMessage message) throws IOException;

        /** Frames classified and frames that failed in inference so far, over all cameras. */
        FrameCounts counts();
    }

    /** Counters the health check compares before and after an activation. */
    public record FrameCounts(long classified, long errors) {
    }

    /**
     * Fixed settings.
     *
     * @param specCheck throws {@link IllegalArgumentException} if a model does not fit the rest of the config
     *                  (e.g. class thresholds for labels it lacks)
     */
    public record Settings(String deviceId, Topics topics, Path stateDir, DeployConfig config,
            SessionSettings session, Consumer<ModelSpec> specCheck) {

        public Settings {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(specCheck, "specCheck");
        }
    }

    private final Settings settings;
    private final Host host;
    private final Path trustedKeys;
    private final ModelFetcher fetcher;
    private final ModelStore store;
    private final SmokeTest smoke = new SmokeTest(new ImageDecoder(DecodeLimits.DEFAULT));
    private final ThreadPoolExecutor executor;
    /** Touched only by the executor thread after construction. */
    private ActiveModel applied;
    private DeployCommand lastHandled;
    private volatile boolean closing;
    /** The running shadow, or null; written by the executor thread, read by the cameras. */
    private volatile Shadow shadow;

    /** A running shadow deploy: the session and the command that started it. */
    private record Shadow(ShadowSession session, DeployCommand command, ModelRef ref) {
    }

    private DeployService(Settings settings, Host host, ActiveModel applied) {
        this.settings = settings;
        this.host = host;
        this.applied = applied;
        this.trustedKeys = Path.of(settings.config().trustedKeys());
        this.fetcher = new ModelFetcher(settings.config(), Duration.ofSeconds(60));
        this.store = new ModelStore(settings.stateDir());
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "deploy");
            t.setDaemon(true);
            return t;
        }, (r, e) -> LOG.warn("deploy queue full (16 commands waiting); command dropped"));
    }

    /**
     * Creates the service, checking the trust store ({@link TrustedKeys}): a broken one is a configuration error; a
     * missing or empty one is logged as a warning, and every command is rejected until a key is put there.
     *
     * @throws ConfigException naming {@code deploy.trustedKeys} and the problem
     * @throws IOException     if the current-model pointer is unreadable
     */
    public static DeployService create(Settings settings, Host host) throws ConfigException, IOException {
        TrustedKeys trusted = TrustedKeys.read(settings.config().trustedKeys());
        if (trusted.noKeysReason() != null) {
            LOG.warn("deploy: {}", trusted.describe());
        } else {
            LOG.info("deploy: {}", trusted.describe());
        }
        ModelStore.clearIncoming(settings.stateDir());
        return new DeployService(settings, host, ActiveModel.read(settings.stateDir()).orElse(null));
    }

    /** The topic filters to subscribe to: this device's deploy topic and the fleet's. */
    public List<String> topicFilters() {
        return List.of(settings.topics().deploy(settings.deviceId()), settings.topics().fleetDeploy());
    }

    /** Where the cameras hand their classified frames to a running shadow (does nothing while none runs). */
    public ShadowTap shadowTap() {
        return (frame, active, disagreed) -> {
            Shadow s = shadow;
            if (s != null) {
                s.session().offer(frame, active, disagreed);
            }
        };
    }

    /** Queues a received deploy message; returns at once (called on the MQTT client's thread). */
    public void offer(String topic, byte[] payload) {
        if (!executor.isShutdown()) {
            executor.execute(() -> handle(topic, payload));
        }
    }

    /** Handles one deploy message; never throws. */
    void handle(String topic, byte[] payload) {
        if (payload.length == 0) {
            LOG.info("deploy topic {} cleared (empty retained message)", topic);
            return;
        }
        DeployCommand command;
        try {
            command = Payloads.decode(topic, payload, DeployCommand.class);
        } catch (MessageRejectedException e) {
            LOG.warn("deploy command ignored: {}", e.getMessage());
            return;
        }
        if (applied != null && applied.issuedAt() != null && !command.issuedAt().isAfter(applied.issuedAt())) {
            LOG.info("deploy command for {} {} on {} ignored: issued {}, not after the last applied ({})",
                    command.name(), command.version(), topic, command.issuedAt(), applied.issuedAt());
            return;
        }
        if (command.equals(lastHandled)) {
            LOG.info("deploy command for {} {} already handled (redelivered after a reconnect)", command.name(),
                    command.version());
            return;
        }
        lastHandled = command;
        ModelRef ref = new ModelRef(command.name(), command.version(), command.sha256());
        try {
            apply(command, ref);
        } catch (DeployRejectedException e) {
            LOG.warn("deploy of {} {} rejected: {}", command.name(), command.version(), e.getMessage());
            status(ref, DeployState.REJECTED, e.getMessage());
        } catch (IOException e) {
            LOG.warn("deploy of {} {} failed: {}", command.name(), command.version(), e.toString());
            status(ref, DeployState.REJECTED, "I/O error on the device: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status(ref, DeployState.REJECTED, "the agent stopped during the deploy");
        } catch (RuntimeException e) {
            LOG.error("deploy of {} {} failed unexpectedly", command.name(), command.version(), e);
            status(ref, DeployState.REJECTED, "unexpected error on the device: " + e);
        }
    }

    private void apply(DeployCommand command, ModelRef ref) throws DeployRejectedException, IOException,
            InterruptedException {
        if (command.end() != null) {
            endShadow(command);
            return;
        }
        if (shadow != null) {
            dropShadow(shadow, "replaced by the deploy of " + command.name() + " " + command.version());
        }
        ModelSpec running = host.running();
        if (command.sha256().equals(running.sha256()) && command.name().equals(running.name())
                && command.version().equals(running.version())) {
            // the model already serves: record the command so it counts as applied, and confirm
            remember(new ActiveModel(running.name(), running.version(), running.sha256(), relative(running.onnx()),
                    command.issuedAt(), Instant.now(), applied == null ? null : applied.previous()));
            status(ref, DeployState.ACTIVE, "already running");
            return;
        }
        status(ref, DeployState.RECEIVED, null);
        status(ref, DeployState.VERIFYING, null);
        byte[] bytes = fetcher.fetch(command);
        verify(bytes, command);
        Path staged = store.stage(bytes, command.sha256());
        ModelSpec checked;
        try {
            ModelPackage pkg = read(staged, command, settings.config().maxModelBytes());
            checked = spec(staged, pkg, command);
            refuseDowngrade(pkg.card(), running, command);
        } catch (DeployRejectedException e) {
            // an invalid package leaves nothing behind
            Files.deleteIfExists(staged);
            throw e;
        }
        Path file = store.commit(staged, command.name(), command.version(), command.sha256());
        ModelSpec spec = checked.withOnnx(file);
        try {
            settings.specCheck().accept(spec);
        } catch (IllegalArgumentException e) {
            throw new DeployRejectedException("model does not fit the agent's config: " + e.getMessage(), e);
        }
        if (command.shadow() != null && !new HashSet<>(spec.labels()).equals(new HashSet<>(running.labels()))) {
            throw new DeployRejectedException("shadow candidate " + spec.name() + " " + spec.version() + " has labels "
                    + spec.labels() + ", the active model " + running.name() + " " + running.version() + " has "
                    + running.labels() + "; a shadow compares top-1 labels, so it needs the same labels (in any"
                    + " order)");
        }
        status(ref, DeployState.SMOKE_TESTING, null);
        ModelRuntime runtime;
        try {
            runtime = ModelRuntime.open(spec, settings.session());
        } catch (ModelLoadException e) {
            throw new DeployRejectedException(e.getMessage(), e);
        }
        if (command.shadow() != null) {
            startShadow(command, ref, runtime, running);
        } else {
            switchTo(runtime, command, ref, running, null);
        }
    }

    /** Size-independent checks of a fetched model file: a trusted key and a verifying Ed25519 signature. */
    private void verify(byte[] bytes, DeployCommand command) throws DeployRejectedException {
        if (!Files.exists(trustedKeys)) {
            throw new DeployRejectedException(TrustedKeys.noKeys(trustedKeys));
        }
        TrustStore trust;
        try {
            trust = TrustStore.load(trustedKeys);
        } catch (KeyFileException e) {
            throw new DeployRejectedException("trust store unusable: " + e.getMessage(), e);
        }
        if (trust.keyIds().isEmpty()) {
            throw new DeployRejectedException(TrustedKeys.noKeys(trustedKeys));
        }
        if (trust.key(command.keyId()).isEmpty()) {
            throw new DeployRejectedException("key id " + command.keyId() + " is not trusted; trusted: "
                    + trust.keyIds());
        }
        try {
            trust.verify(bytes, ModelSignature.of(command));
        } catch (VerificationException e) {
            throw new DeployRejectedException(e.getMessage(), e);
        }
    }

    /**
     * The switch: smoke test on zeros and the cameras' last frames, the "current" pointer, activation, the health
     * check. Takes ownership of {@code runtime} (closed if the switch is refused).
     */
    private void switchTo(ModelRuntime runtime, DeployCommand command, ModelRef ref, ModelSpec running,
            ShadowReport report) throws DeployRejectedException, IOException, InterruptedException {
        ModelSpec spec = runtime.spec();
        ActiveModel previous = applied != null
                ? new ActiveModel(applied.name(), applied.version(), applied.sha256(), applied.file(),
                        applied.issuedAt(), applied.activated(), null)
                : new ActiveModel(running.name(), running.version(), running.sha256(), relative(running.onnx()),
                        null, null, null);
        ActiveModel next = new ActiveModel(spec.name(), spec.version(), spec.sha256(),
                ModelStore.relative(spec.name(), spec.version()).toString(), command.issuedAt(), Instant.now(),
                previous);
        try {
            int runs = smoke.run(runtime, host.recentFrames());
            LOG.info("model {} {} passed the smoke test ({} inference(s))", spec.name(), spec.version(), runs);
            remember(next);
        } catch (DeployRejectedException | IOException | RuntimeException e) {
            closeQuietly(runtime);
            throw e;
        }
        FrameCounts before = host.counts();
        host.activate(runtime);
        LOG.info("model {} {} active", spec.name(), spec.version());
        status(ref, DeployState.ACTIVE, report == null ? null : "promoted from shadow", report);
        healthCheck(before, ref, running, previous, next);
    }

    /** Smoke-tests the candidate, then runs it beside the active model; the executor does not wait for it. */
    private void startShadow(DeployCommand command, ModelRef ref, ModelRuntime runtime, ModelSpec running)
            throws DeployRejectedException {
        ShadowSession session;
        try {
            int runs = smoke.run(runtime, host.recentFrames());
            LOG.info("shadow candidate {} {} passed the smoke test ({} inference(s))", ref.name(), ref.version(),
                    runs);
            session = ShadowSession.start(command.shadow(), runtime, running.labels(),
                    new ImageDecoder(DecodeLimits.DEFAULT), new ShadowSession.Listener() {
                        @Override
                        public void report(ShadowSession s, ShadowReport report) {
                            status(ref, DeployState.SHADOWING, null, report);
                        }

                        @Override
                        public void done(ShadowSession s) {
                            if (!executor.isShutdown()) {
                                executor.execute(() -> finishShadow(s, null));
                            }
                        }
                    });
        } catch (OrtException e) {
            closeQuietly(runtime);
            throw new DeployRejectedException("cannot create the shadow's tensors: " + e.getMessage(), e);
        } catch (DeployRejectedException | RuntimeException e) {
            closeQuietly(runtime);
            throw e;
        }
        ShadowRequest r = command.shadow();
        shadow = new Shadow(session, command, ref);
        LOG.info("model {} {} shadows {} {} on {} of frames for {}", ref.name(), ref.version(), running.name(),
                running.version(), r.rate(), r.seconds() != null ? r.seconds() + " s" : r.frames() + " frames");
        status(ref, DeployState.SHADOWING, "beside " + running.name() + " " + running.version(), session.report());
    }

    /** An {@code end} command: verified against the shadow's model, then promotes or drops it now. */
    private void endShadow(DeployCommand command) throws IOException {
        Shadow s = shadow;
        if (s == null || !s.command().sha256().equals(command.sha256()) || !s.ref().name().equals(command.name())
                || !s.ref().version().equals(command.version())) {
            LOG.info("end ({}) of the shadow of {} {} ignored: {}", command.end(), command.name(), command.version(),
                    s == null ? "no shadow runs" : "the running shadow is " + s.ref().name() + " " + s.ref().version());
            return;
        }
        try {
            verify(Files.readAllBytes(s.session().candidate().spec().onnx()), command);
        } catch (DeployRejectedException e) {
            LOG.warn("end ({}) of the shadow of {} {} ignored: {}", command.end(), command.name(), command.version(),
                    e.getMessage());
            return;
        }
        finishShadow(s.session(), command.end());
    }

    /**
     * Ends the shadow (on the executor): promotes it when {@code forced} is promote or the rule holds, else drops it.
     */
    private void finishShadow(ShadowSession session, ShadowEnd forced) {
        Shadow s = shadow;
        if (s == null || s.session() != session) {
            return;
        }
        session.close();
        ShadowReport report = session.report();
        ShadowRequest rule = s.command().shadow();
        String failed = null;
        if (forced == ShadowEnd.ABORT) {
            failed = "aborted (end: abort) after " + report.compared() + " compared frames";
        } else if (forced == null && report.compared() < rule.minFrames()) {
            failed = "only " + report.compared() + " frames compared, required " + rule.minFrames();
        } else if (forced == null && report.agreement() < rule.minAgreement()) {
            failed = String.format(java.util.Locale.ROOT, "agreement %.3f over %d frames, below the required %.3f",
                    report.agreement(), report.compared(), rule.minAgreement());
        }
        if (failed != null) {
            dropShadow(s, failed);
            return;
        }
        shadow = null;
        LOG.info("shadow of {} {}: agreement {} over {} frames; promoting{}", s.ref().name(), s.ref().version(),
                report.agreement(), report.compared(), forced == ShadowEnd.PROMOTE ? " (end: promote)" : "");
        try {
            switchTo(session.candidate(), s.command(), s.ref(), host.running(), report);
        } catch (DeployRejectedException e) {
            status(s.ref(), DeployState.REJECTED, "promotion refused: " + e.getMessage(), report);
        } catch (IOException | RuntimeException e) {
            LOG.warn("promotion of {} {} failed", s.ref().name(), s.ref().version(), e);
            status(s.ref(), DeployState.REJECTED, "promotion failed on the device: " + e, report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drops a shadow: closes the candidate, reports {@code shadow-dropped} with the reason, and records the command
     * as applied (with the active model), so its retained copy does not start the shadow again after a restart.
     */
    private void dropShadow(Shadow s, String reason) {
        shadow = null;
        s.session().close();
        ShadowReport report = s.session().report();
        closeQuietly(s.session().candidate());
        LOG.warn("shadow candidate {} {} dropped: {}", s.ref().name(), s.ref().version(), reason);
        ModelSpec running = host.running();
        try {
            remember(new ActiveModel(running.name(), running.version(), running.sha256(), applied != null
                    && applied.name().equals(running.name()) && applied.version().equals(running.version())
                    ? applied.file() : relative(running.onnx()), s.command().issuedAt(),
                    applied == null ? null : applied.activated(), applied == null ? null : applied.previous()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record the dropped shadow command: {}", e.toString());
        }
        status(s.ref(), DeployState.SHADOW_DROPPED, reason, report);
    }

    /**
     * Watches the frames after an activation (up to {@code healthCheckFrames} frames or {@code healthCheckSeconds});
     * if more than half failed in inference, reopens the previous model from disk and swaps it back.
     */
    private void healthCheck(FrameCounts before, ModelRef ref, ModelSpec previousSpec, ActiveModel previous,
            ActiveModel failed) throws IOException, InterruptedException {
        int frames = settings.config().healthCheckFrames();
        if (frames == 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.config().healthCheckSeconds());
        long ok;
        long bad;
        do {
            Thread.sleep(50);
            FrameCounts now = host.counts();
            ok = now.classified() - before.classified();
            bad = now.errors() - before.errors();
        } while (ok + bad < frames && System.nanoTime() < deadline && !closing);
        if (bad == 0 || bad * 2 <= ok + bad) {
            LOG.info("model {} {} healthy: {} of {} frames classified after activation", ref.name(), ref.version(),
                    ok, ok + bad);
            return;
        }
        String failure = "model failed inference on " + bad + " of " + (ok + bad) + " frames after activation";
        ModelRuntime back;
        try {
            back = ModelRuntime.open(previousSpec, settings.session());
        } catch (ModelLoadException e) {
            LOG.error("{}, but the previous model {} {} cannot be reopened ({}); keeping the new one", failure,
                    previousSpec.name(), previousSpec.version(), e.getMessage());
            return;
        }
        // the failed command stays "applied" (its retained copy must not be retried); the previous model serves
        try {
            remember(new ActiveModel(previous.name(), previous.version(), previous.sha256(), previous.file(),
                    failed.issuedAt(), Instant.now(), new ActiveModel(failed.name(), failed.version(),
                            failed.sha256(), failed.file(), failed.issuedAt(), failed.activated(), null)));
        } catch (IOException | RuntimeException e) {
            closeQuietly(back);
            throw e;
        }
        host.activate(back);
        LOG.warn("{}; rolled back to {} {}", failure, previousSpec.name(), previousSpec.version());
        status(ref, DeployState.ROLLED_BACK, failure + "; restored " + previousSpec.name() + " "
                + previousSpec.version());
    }

    private void remember(ActiveModel pointer) throws IOException {
        pointer.write(settings.stateDir());
        applied = pointer;
    }

    /** A path relative to the state directory when it lies inside it, otherwise absolute. */
    private String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path state = settings.stateDir().toAbsolutePath().normalize();
        return abs.startsWith(state) ? state.relativize(abs).toString() : abs.toString();
    }

    /**
     * Refuses a model whose signed card was made before the running model's, unless the command is an explicit
     * rollback. The card's {@code created} is covered by the signature (the card lives in the signed file), the
     * command's fields are not: so a replayed old, correctly signed model cannot take a device back silently.
     */
    private void refuseDowngrade(ModelCard candidate, ModelSpec running, DeployCommand command)
            throws DeployRejectedException {
        String what = "model " + candidate.name() + " " + candidate.version();
        if (command.rollsBack()) {
            LOG.info("{} (made {}) deployed as an explicit rollback: the age check is skipped", what,
                    candidate.created());
            return;
        }
        ModelPackage current;
        try {
            current = ModelPackage.read(running.onnx(), ReadOptions.DEFAULT.withMaxBytes(
                    Math.max(settings.config().maxModelBytes(), Files.size(running.onnx()))));
        } catch (ModelPackageException | IOException e) {
            throw new DeployRejectedException("cannot tell whether " + what + " is older than the running "
                    + running.name() + " " + running.version() + " (its card is unreadable: " + e.getMessage()
                    + "); to deploy it anyway, send it as a rollback (trainer deploy --rollback)", e);
        }
        if (!current.cardEmbedded()) {
            return; // a plain ONNX file has no creation time to compare with
        }
        Instant runningMade = current.card().created();
        if (candidate.created().isBefore(runningMade)) {
            throw new DeployRejectedException(what + " was made " + candidate.created() + ", before the running "
                    + running.name() + " " + running.version() + " (made " + runningMade + "): refused as a"
                    + " downgrade; to go back on purpose, send it as a rollback (trainer deploy --rollback)");
        }
    }

    /** Reads the stored package; its card must be valid and name the command's model. */
    static ModelSpec spec(Path file, DeployCommand command, long maxBytes) throws DeployRejectedException {
        return spec(file, read(file, command, maxBytes), command);
    }

    /** Reads a stored package (naming the model as the command does). */
    private static ModelPackage read(Path file, DeployCommand command, long maxBytes)
            throws DeployRejectedException {
        ModelPackage pkg;
        try {
            pkg = ModelPackage.read(file, ReadOptions.DEFAULT.withMaxBytes(maxBytes));
        } catch (ModelPackageException e) {
            // name the model as the command does, not the device's staging file
            String problem = e.getMessage().startsWith(file + ": ")
                    ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage();
            throw new DeployRejectedException("invalid model package " + command.name() + " " + command.version()
                    + ": " + problem, e);
        }
        return pkg;
    }

    /** The package's spec; its card must be valid and name the command's model. */
    private static ModelSpec spec(Path file, ModelPackage pkg, DeployCommand command) throws DeployRejectedException {
        if (!pkg.cardEmbedded()) {
            throw new DeployRejectedException("invalid model package " + command.name() + " " + command.version()
                    + ": no model card");
        }
        ModelCard card = pkg.card();
        if (!card.name().equals(command.name()) || !card.version().equals(command.version())) {
            throw new DeployRejectedException("model card names " + card.name() + " " + card.version()
                    + ", but the command deploys " + command.name() + " " + command.version());
        }
        try {
            return new ModelSpec(file, card.name(), card.version(), pkg.sha256(), card.labels(),
                    card.preprocessing(), card.input().name(), card.output().name(), card.output().kind(),
                    card.temperature(), card.thresholds() == null ? Map.of() : card.thresholds().perClass());
        } catch (IllegalArgumentException e) {
            throw new DeployRejectedException("invalid model card: " + e.getMessage(), e);
        }
    }

    private void status(ModelRef ref, DeployState state, String reason) {
        status(ref, state, reason, null);
    }

    private void status(ModelRef ref, DeployState state, String reason, ShadowReport report) {
        String r = reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
        DeployStatus status = new DeployStatus(Payloads.SCHEMA, settings.deviceId(), ref, state, r, Instant.now(),
                report);
        try {
            host.publish(new SpooledMessage(settings.topics().deployStatus(settings.deviceId()),
                    TopicKind.DEPLOY_STATUS.qos(), TopicKind.DEPLOY_STATUS.retained(), Payloads.encode(status)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot queue deploy status {} for {} {}: {}", state, ref.name(), ref.version(), e.toString());
        }
    }

    private static void closeQuietly(ModelRuntime runtime) {
        try {
            runtime.close();
        } catch (Exception e) {
            LOG.warn("closing a rejected model's session failed: {}", e.toString());
        }
    }

    /** Stops taking commands and waits (bounded) for the one in progress. */
    @Override
    public void close() {
        closing = true;
        Shadow s = shadow;
        if (s != null) {
            // the clock's end task can no longer run: stop the candidate here (the retained command restarts it)
            s.session().close();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                LOG.warn("a deploy was still running at shutdown; interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        Shadow left = shadow;
        if (left != null) {
            shadow = null;
            closeQuietly(left.session().candidate());
        }
    }
}

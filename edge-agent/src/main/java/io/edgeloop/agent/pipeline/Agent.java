package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.CameraConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.deploy.ActiveModel;
import io.edgeloop.agent.deploy.DeployService;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.deploy.ShadowTap;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.hard.HardExampleSelector;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.metrics.PredictionTally;
import io.edgeloop.agent.mqtt.HomeAssistantDiscovery;
import io.edgeloop.agent.mqtt.MqttLink;
import io.edgeloop.agent.source.Frame;
import io.edgeloop.agent.source.FrameSlot;
import io.edgeloop.agent.source.SourceCheck;
import io.edgeloop.agent.source.SourceFactory;
import io.edgeloop.agent.source.SourceRunner;
import io.edgeloop.agent.spool.Spool;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running edge agent, assembled from a validated {@link AgentConfig}: the shared model session, the spool, the
 * MQTT link and, per camera, a source runner, a latest-frame slot and a worker. {@link #close()} shuts down in a
 * bounded time: sources stop, workers finish the frame in flight, the spool is flushed while connected, the
 * retained offline status is published, MQTT and ORT are closed.
 *
 * <p>With a {@code deploy} section the agent also applies signed deploy commands ({@link DeployService}) and swaps
 * the new model in while the cameras run. Which model it starts with: the one the state directory's
 * {@code models/current.json} points to (the last deployed and activated model), unless the model was given on the
 * command line ({@code --model}) or deploy is not configured; then {@code model.path} from the config.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** Version reported in the status. */
    public static final String VERSION = "0.1.0";

    /** One camera's parts. */
    private record Camera(String id, FrameSlot slot, SourceRunner runner, CameraWorker worker,
            CameraMetrics metrics) {
    }

    private final AgentConfig config;
    private final Instant startedAt = Instant.now();
    /**
     * This run's id, drawn at every start (not from the seeded {@code random}: two runs must differ): events carry
     * it so that {@code (device, camera, boot, seq)} names one event across restarts, where {@code seq} restarts.
     */
    private final String boot = java.util.HexFormat.of().toHexDigits(new java.security.SecureRandom().nextLong());
    private final Topics topics;
    private volatile ModelRef modelRef;
    private final ObjectMapper json = new ObjectMapper();
    private final LiveModel model;
    private final DeployService deploy;
    private final Spool spool;
    private final MqttLink link;
    private final List<Camera> cameras = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, Previous> previous = new LinkedHashMap<>();
    private long previousMetricsNanos = System.nanoTime();
    private boolean closed;

    private Agent(AgentConfig config, ModelRuntime runtime, Spool spool, Map<String, String> environment,
            Random random) throws ConfigException, IOException {
        this.config = config;
        this.model = new LiveModel(runtime);
        this.spool = spool;
        this.topics = new Topics(config.mqtt().topicPrefix());
        ModelSpec spec = runtime.spec();
        this.modelRef = new ModelRef(spec.name(), spec.version(), spec.sha256());
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(config.homeAssistant(), topics,
                config.deviceId(), VERSION);
        List<String> cameraIds = config.cameras().stream().map(CameraConfig::id).toList();
        this.deploy = config.deploy() == null ? null : DeployService.create(new DeployService.Settings(
                config.deviceId(), topics, Path.of(config.stateDir()), config.deploy(),
                config.inference().session(), this::checkFits),
                new DeployHost());
        this.link = new MqttLink(AgentLinks.settings(config, environment), spool,
                () -> Payloads.encode(status(DeviceState.ONLINE)),
                () -> Payloads.encode(status(DeviceState.OFFLINE)),
                () -> discovery.messages(cameraIds), deploy == null ? List.of() : deploy.topicFilters(),
                deploy == null ? (topic, payload) -> { } : deploy::offer, random);
        SourceFactory sources = new SourceFactory(environment);
        ImageDecoder decoder = new ImageDecoder(config.inference().decodeLimits());
        try {
            checkFits(spec);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        for (CameraConfig c : config.cameras()) {
            FrameSlot slot = new FrameSlot();
            CameraMetrics metrics = new CameraMetrics(c.id());
            CameraWorker.Parts parts = new CameraWorker.Parts() {
                @Override
                public Postprocessor postprocessor(ModelSpec s) {
                    return Agent.this.postprocessor(s);
                }

                @Override
                public EventMessages messages(ModelSpec s) {
                    return new EventMessages(topics, config.deviceId(), c.id(),
                            new ModelRef(s.name(), s.version(), s.sha256()), config.events().qos(), boot);
                }
            };
            CameraWorker worker = new CameraWorker(new CameraWorker.Settings(c.id(), config.hardExamples(c),
                    config.events().thumbnail() ? config.events().thumbnailMaxSide() : 0), slot,
                    model, decoder, parts, new EventPolicy(config.events().mode(), config.events().heartbeatSeconds()),
                    metrics, spool::append, deploy == null ? ShadowTap.NONE : deploy.shadowTap());
            SourceRunner runner = new SourceRunner(c.id(), sources.create(c.id(), c.source(), spec.preprocess()),
                    slot, config.retry().initialMillis(), config.retry().maxMillis(), new Random(random.nextLong()));
            cameras.add(new Camera(c.id(), slot, runner, worker, metrics));
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the agent: opens the model (checking it against its description), the spool and every source. Nothing
     * runs until {@link #start()}.
     *
     * @param environment process environment for secrets
     * @param random      jitter source
     */
    public static Agent create(AgentConfig config, Map<String, String> environment, Random random)
            throws ConfigException, ModelLoadException, IOException {
        return create(config, environment, random, false);
    }

    /**
     * Builds the agent.
     *
     * @param configuredModel start with the config's {@code model.path} even when a deployed model is active
     *                        (the command line named the model)
     * @throws ConfigException if the config cannot work: among others a camera source that cannot
     *                         ({@link SourceCheck}), which would otherwise be retried forever
     */
    public static Agent create(AgentConfig config, Map<String, String> environment, Random random,
            boolean configuredModel) throws ConfigException, ModelLoadException, IOException {
        for (int i = 0; i < config.cameras().size(); i++) {
            SourceCheck.check("cameras[" + i + "].source", config.cameras().get(i).source());
        }
        ModelSpec spec = startModel(config, configuredModel);
        ModelRuntime runtime = ModelRuntime.open(spec, config.inference().session());
        Spool spool = null;
        try {
            spool = Spool.open(config.spoolDir(), config.spool().maxBytes(), config.spool().segmentBytes(),
                    config.spool().syncMillis());
            return new Agent(config, runtime, spool, environment, random);
        } catch (ConfigException | IOException | RuntimeException e) {
            try {
                runtime.close();
                if (spool != null) {
                    spool.close();
                }
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The model the agent starts with: the deployed model {@code <stateDir>/models/current.json} points to, if
     * deploy is configured, the command line did not name a model and it loads; else the config's model.
     */
    public static ModelSpec startModel(AgentConfig config, boolean configuredModel)
            throws ConfigException, ModelLoadException {
        if (config.deploy() != null && !configuredModel) {
            Path stateDir = Path.of(config.stateDir());
            try {
                var active = ActiveModel.read(stateDir);
                if (active.isPresent()) {
                    Path file = active.get().resolve(stateDir);
                    if (Files.isRegularFile(file)) {
                        ModelConfig deployed = config.model().withPath(file.toString());
                        ModelSpec spec = ModelSpecs.resolve(deployed);
                        LOG.info("starting with the deployed model {} {} ({}; {} names it)", spec.name(),
                                spec.version(), file, ActiveModel.location(stateDir));
                        return spec;
                    }
                    LOG.warn("{} names {}, which is missing; starting with model.path",
                            ActiveModel.location(stateDir), file);
                }
            } catch (IOException | ModelLoadException e) {
                LOG.error("cannot start with the deployed model ({}); starting with model.path {}", e.getMessage(),
                        config.model().path());
            }
        }
        return ModelSpecs.resolve(config.model());
    }

    /**
     * Whether the config fits a model (class thresholds and hard-example classes name only its labels): at start and
     * for every deployed model; throws {@link IllegalArgumentException} naming the key if not.
     */
    private void checkFits(ModelSpec spec) {
        postprocessor(spec);
        config.checkHardExampleLabels(spec.labels());
    }

    /** The decision rules for a model; throws {@link IllegalArgumentException} if the config does not fit it. */
    private Postprocessor postprocessor(ModelSpec spec) {
        return new Postprocessor(spec.labels(), spec.outputKind(), spec.temperature(), config.inference().topK(),
                config.inference().minConfidence(), config.inference().thresholdsFor(spec.thresholds()));
    }

    /** Per selector that runs (by its reason's name, in selector order): fired, accepted, suppressed. */
    private static Map<String, Object> selectorCounts(HardExampleSelector selector) {
        Map<String, Object> out = new LinkedHashMap<>();
        selector.counts().forEach((s, n) -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("fired", n.fired());
            counts.put("accepted", n.accepted());
            counts.put("suppressed", n.suppressed());
            out.put(s.reason().wireName(), counts);
        });
        return out;
    }

    /** The model serving now. */
    public ModelSpec model() {
        return model.current().spec();
    }

    /** The agent's side of deploys: current model, recent frames, the swap, the spool. */
    private final class DeployHost implements DeployService.Host {
        @Override
        public ModelSpec running() {
            return model.current().spec();
        }

        @Override
        public List<Frame> recentFrames() {
            return cameras.stream().map(c -> c.worker().lastFrame()).filter(Objects::nonNull).toList();
        }

        @Override
        public void activate(ModelRuntime runtime) {
            ModelSpec spec = runtime.spec();
            modelRef = new ModelRef(spec.name(), spec.version(), spec.sha256());
            model.swap(runtime);
            for (Camera c : cameras) {
                c.runner().modelChanged(spec.preprocess());
            }
            try {
                spool.append(new SpooledMessage(topics.status(config.deviceId()), TopicKind.STATUS.qos(),
                        TopicKind.STATUS.retained(), Payloads.encode(status(DeviceState.ONLINE))));
            } catch (IOException e) {
                LOG.warn("cannot queue the status with the new model: {}", e.toString());
            }
        }

        @Override
        public void publish(SpooledMessage message) throws IOException {
            spool.append(message);
        }

        @Override
        public DeployService.FrameCounts counts() {
            long classified = 0;
            long errors = 0;
            for (Camera c : cameras) {
                classified += c.metrics().classifiedCount();
                errors += c.metrics().errorCount();
            }
            return new DeployService.FrameCounts(classified, errors);
        }
    }

    private DeviceStatus status(DeviceState state) {
        return new DeviceStatus(Payloads.SCHEMA, config.deviceId(), state, Instant.now(), startedAt, VERSION,
                modelRef, config.cameras().stream().map(CameraConfig::id).toList(), config.groups());
    }

    /** Starts the link, workers and sources, and the periodic metrics. */
    public void start() {
        link.start();
        for (Camera c : cameras) {
            c.worker().start();
            c.runner().start();
        }
        long interval = config.metrics().intervalSeconds();
        scheduler.scheduleAtFixedRate(this::publishMetrics, interval, interval, TimeUnit.SECONDS);
        long sync = Math.max(100, config.spool().syncMillis());
        scheduler.scheduleWithFixedDelay(this::syncSpool, sync, sync, TimeUnit.MILLISECONDS);
        LOG.info("agent {} running (boot {}): model {} {} ({} labels), {} camera(s), broker {}{}",
                config.deviceId(), boot, model().name(), model().version(), model().labels().size(), cameras.size(),
                config.mqtt().broker(),
                deploy == null ? "" : ", deploy commands on " + deploy.topicFilters());
    }

    /** This run's id, as its events and hard examples carry it in {@code boot}. */
    public String boot() {
        return boot;
    }

    /** The link to the broker. */
    public MqttLink link() {
        return link;
    }

    /** The spool (for status and tests). */
    public Spool spool() {
        return spool;
    }

    /** Per-camera metrics by camera id. */
    public Map<String, CameraMetrics> metrics() {
        Map<String, CameraMetrics> out = new LinkedHashMap<>();
        cameras.forEach(c -> out.put(c.id(), c.metrics()));
        return out;
    }

    /** Whether every source has ended (replays without loop) and every frame has been taken. */
    public boolean sourcesFinished() {
        return cameras.stream().allMatch(c -> c.runner().finished());
    }

    /**
     * Whether everything is done: every source ended, every frame was processed and every message the spool
     * accepted was acknowledged by the broker.
     */
    public boolean drained() {
        return cameras.stream().allMatch(c -> c.runner().finished() && c.slot().exhausted() && !c.worker().busy())
                && spool.pending() == 0;
    }

    /**
     * The metrics message: {@link DeviceMetrics} of the shared contract plus a {@code details} object (per-camera
     * rejections by reason, stage latencies, source failures, hard examples, link counters), which consumers that
     * do not know it ignore.
     */
    public synchronized SpooledMessage metricsMessage() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - previousMetricsNanos) / 1e9);
        previousMetricsNanos = now;
        List<io.edgeloop.protocol.mqtt.CameraMetrics> perCamera = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        int queued = 0;
        for (Camera c : cameras) {
            CameraMetrics m = c.metrics();
            Previous prev = previous.getOrDefault(c.id(), Previous.EMPTY);
            long classified = m.classifiedCount();
            var latencyNow = m.latency(CameraMetrics.Stage.CAPTURE_TO_RESULT);
            var interval = latencyNow.minus(prev.latency());
            double p50 = interval.count() == 0 ? 0 : round(interval.percentileMillis(0.5));
            double p95 = interval.count() == 0 ? 0 : round(interval.percentileMillis(0.95));
            long rejected = m.rejectedByReason().values().stream().mapToLong(Long::longValue).sum();
            PredictionTally.Snapshot predicted = m.predictions();
            perCamera.add(new io.edgeloop.protocol.mqtt.CameraMetrics(c.id(),
                    Math.round((classified - prev.classified()) / seconds * 100) / 100.0, classified,
                    c.slot().dropped(), rejected, p50, Math.max(p50, p95),
                    predicted == null ? null : predicted.since(prev.predicted())));
            previous.put(c.id(), new Previous(classified, latencyNow, predicted));
            queued += c.slot().waiting() ? 1 : 0;
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("framesIn", m.frames());
            values.put("events", m.eventCount());
            values.put("hardExamples", m.hardExampleCount());
            values.put("hardExampleSelectors", selectorCounts(c.worker().hardExamples()));
            values.put("hardExamplesSuppressed", Map.of("budget", c.worker().hardExamples().suppressedRate(),
                    "duplicate", c.worker().hardExamples().suppressedDuplicates()));
            values.put("rejected", m.rejectedByReason());
            values.put("errors", m.errorCount());
            values.put("frameFailures", m.frameFailures());
            values.put("stageRestarts", m.stageRestarts());
            values.put("sourceFailures", c.runner().failures());
            if (c.runner().lastError() != null) {
                values.put("lastSourceError", c.runner().lastError());
            }
            Map<String, Object> stages = new LinkedHashMap<>();
            for (CameraMetrics.Stage s : CameraMetrics.Stage.values()) {
                var snap = m.latency(s);
                if (snap.count() > 0) {
                    stages.put(s.name().toLowerCase(java.util.Locale.ROOT), Map.of(
                            "p50Ms", round(snap.percentileMillis(0.5)), "p95Ms", round(snap.percentileMillis(0.95))));
                }
            }
            values.put("latencySinceStart", stages);
            details.put(c.id(), values);
        }
        MqttLink.Stats s = link.stats();
        DeviceMetrics metrics = new DeviceMetrics(Payloads.SCHEMA, config.deviceId(), Instant.now(),
                java.time.Duration.between(startedAt, Instant.now()).toSeconds(), perCamera, queued,
                ProcessFigures.cpuLoad(), ProcessFigures.rssBytes(), spool.pending(), spool.sizeBytes(),
                spool.dropped(), Math.max(0, s.connects() - 1));
        ObjectNode tree;
        try {
            tree = (ObjectNode) json.readTree(Payloads.encode(metrics));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> linkValues = new LinkedHashMap<>();
        linkValues.put("connected", s.connected());
        linkValues.put("connects", s.connects());
        linkValues.put("connectFailures", s.connectFailures());
        linkValues.put("delivered", s.delivered());
        linkValues.put("rejectedByBroker", s.rejected());
        linkValues.put("publishFailures", s.publishFailures());
        ObjectNode extra = tree.putObject("details");
        extra.set("cameras", json.valueToTree(details));
        extra.set("link", json.valueToTree(linkValues));
        try {
            return new SpooledMessage(topics.metrics(config.deviceId()), TopicKind.METRICS.qos(),
                    TopicKind.METRICS.retained(), json.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One log line per metrics interval (journald has no MQTT subscriber). */
    private String summary(SpooledMessage m) {
        try {
            var tree = json.readTree(m.payload());
            StringBuilder sb = new StringBuilder();
            for (var c : tree.get("cameras")) {
                sb.append(String.format(java.util.Locale.ROOT, "%s %.1f fps (frames %d, drops %d, rejected %d, "
                        + "p50 %.1f ms, p95 %.1f ms); ", c.get("camera").asText(), c.get("fps").asDouble(),
                        c.get("frames").asLong(), c.get("drops").asLong(), c.get("rejected").asLong(),
                        c.get("latencyP50Ms").asDouble(), c.get("latencyP95Ms").asDouble()));
            }
            sb.append(String.format(java.util.Locale.ROOT, "spool %d msgs; rss %d MB; cpu %.0f%%",
                    tree.get("spoolMessages").asLong(), tree.get("rssBytes").asLong() >> 20,
                    tree.get("cpuLoad").asDouble() * 100));
            return sb.toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Counters at the previous metrics message, for per-interval rates and latencies. */
    private record Previous(long classified, io.edgeloop.agent.metrics.LatencyHistogram.Snapshot latency,
                            PredictionTally.Snapshot predicted) {
        static final Previous EMPTY = new Previous(0, io.edgeloop.agent.metrics.LatencyHistogram.Snapshot.empty(),
                null);
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private void syncSpool() {
        try {
            spool.sync();
        } catch (IOException | RuntimeException e) {
            LOG.warn("spool sync failed: {}", e.toString());
        }
    }

    private void publishMetrics() {
        try {
            SpooledMessage m = metricsMessage();
            link.publishDirect(m.topic(), m.payload(), m.qos(), m.retained());
            if (LOG.isInfoEnabled()) {
                LOG.info("metrics: {}", summary(m));
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics publish failed: {}", e.toString());
        }
    }

    /**
     * Graceful shutdown within {@code shutdownTimeoutSeconds}: stop sources, let workers finish the frame in
     * flight, flush the spool while connected, publish the offline status, close MQTT, the spool and ORT.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownTimeoutSeconds());
        scheduler.shutdownNow();
        if (deploy != null) {
            deploy.close();
        }
        try {
            for (Camera c : cameras) {
                c.runner().stop(Math.min(1000, left(deadline)));
            }
            boolean workersStopped = true;
            for (Camera c : cameras) {
                c.worker().stop(Math.max(1, Math.min(3000, left(deadline))));
                workersStopped &= !c.worker().isAlive();
            }
            link.close(Math.max(1000, left(deadline)));
            try {
                spool.close();
            } catch (IOException e) {
                LOG.warn("spool close failed: {}", e.toString());
            }
            if (workersStopped) {
                model.close();
            } else {
                LOG.warn("a worker is still running after the shutdown timeout; leaving the ORT session to the OS");
            }
            // what this run accepted into the spool, per camera: with the boot id, a fault campaign (or an operator)
            // can tell from the log what a consumer should have received
            StringBuilder accepted = new StringBuilder();
            for (Camera c : cameras) {
                accepted.append(accepted.length() == 0 ? "" : ", ").append(c.id()).append(": ")
                        .append(c.metrics().eventCount()).append(" events, ")
                        .append(c.metrics().hardExampleCount()).append(" hard examples");
            }
            LOG.info("agent {} stopped (boot {}; accepted {}; {} messages left in the spool, {} dropped by its cap)",
                    config.deviceId(), boot, accepted, spool.pending(), spool.dropped());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long left(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}

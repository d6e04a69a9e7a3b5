package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.CameraConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.mqtt.HomeAssistantDiscovery;
import io.edgeloop.agent.mqtt.MqttLink;
import io.edgeloop.agent.source.FrameSlot;
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
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import io.edgeloop.agent.deploy.Deployer;
import io.edgeloop.agent.deploy.ModelActivator;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.TrustStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running edge agent, assembled from a validated {@link AgentConfig}: the shared model session, the spool, the
 * MQTT link and, per camera, a source runner, a latest-frame slot and a worker. {@link #close()} shuts down in a
 * bounded time: sources stop, workers finish the frame in flight, the spool is flushed while connected, the
 * retained offline status is published, MQTT and ORT are closed.
 */
public final class Agent implements AutoCloseable, ModelActivator {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** Version reported in the status. */
    public static final String VERSION = "0.1.0";

    /** One camera's parts; the worker is replaced when a new model is activated. */
    private static final class Camera {
        private final String id;
        private final FrameSlot slot;
        private final SourceRunner runner;
        private final CameraMetrics metrics;
        private final AtomicLong sequence = new AtomicLong();
        private volatile CameraWorker worker;

        Camera(String id, FrameSlot slot, SourceRunner runner, CameraMetrics metrics) {
            this.id = id;
            this.slot = slot;
            this.runner = runner;
            this.metrics = metrics;
        }

        String id() {
            return id;
        }

        FrameSlot slot() {
            return slot;
        }

        SourceRunner runner() {
            return runner;
        }

        CameraMetrics metrics() {
            return metrics;
        }

        CameraWorker worker() {
            return worker;
        }
    }

    private final AgentConfig config;
    private final Instant startedAt = Instant.now();
    private final Topics topics;
    private volatile ModelRef modelRef;
    private final ObjectMapper json = new ObjectMapper();
    private volatile ModelRuntime runtime;
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
    private final Deployer deployer;
    private final Spool spool;
    private final MqttLink link;
    private final List<Camera> cameras = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, Previous> previous = new LinkedHashMap<>();
    private long previousMetricsNanos = System.nanoTime();
    private boolean closed;

    private Agent(AgentConfig config, ModelRuntime runtime, Spool spool, Map<String, String> environment,
            Random random) throws ConfigException {
        this.config = config;
        this.runtime = runtime;
        this.spool = spool;
        this.topics = new Topics(config.mqtt().topicPrefix());
        ModelSpec spec = runtime.spec();
        this.modelRef = new ModelRef(spec.name(), spec.version(), spec.sha256());
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(config.homeAssistant(), topics,
                config.deviceId(), VERSION);
        List<String> cameraIds = config.cameras().stream().map(CameraConfig::id).toList();
        if (config.deploy().enabled()) {
            TrustStore trust;
            try {
                trust = TrustStore.load(Path.of(config.deploy().trustDir()));
            } catch (KeyFileException e) {
                throw new ConfigException("deploy.trustDir: " + e.getMessage(), e);
            }
            this.deployer = new Deployer(config, topics, trust, this, spool::append);
            this.link = new MqttLink(AgentLinks.settings(config, environment), spool,
                    () -> Payloads.encode(status(DeviceState.ONLINE)), Payloads.encode(status(DeviceState.OFFLINE)),
                    () -> discovery.messages(cameraIds),
                    List.of(topics.deploy(config.deviceId()), topics.fleetDeploy()), deployer::offer, random);
        } else {
            this.deployer = null;
            this.link = new MqttLink(AgentLinks.settings(config, environment), spool,
                    () -> Payloads.encode(status(DeviceState.ONLINE)), Payloads.encode(status(DeviceState.OFFLINE)),
                    () -> discovery.messages(cameraIds), random);
        }
        SourceFactory sources = new SourceFactory(environment);
        for (CameraConfig c : config.cameras()) {
            FrameSlot slot = new FrameSlot();
            CameraMetrics metrics = new CameraMetrics(c.id());
            SourceRunner runner = new SourceRunner(c.id(), sources.create(c.id(), c.source(), spec.preprocess()),
                    slot, config.retry().initialMillis(), config.retry().maxMillis(), new Random(random.nextLong()));
            Camera camera = new Camera(c.id(), slot, runner, metrics);
            try {
                camera.worker = worker(camera, runtime, modelRef);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
            cameras.add(camera);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** A worker for a camera running a model; throws IllegalArgumentException if the config does not fit it. */
    private CameraWorker worker(Camera camera, ModelRuntime model, ModelRef ref) {
        ModelSpec spec = model.spec();
        Postprocessor post = new Postprocessor(spec.labels(), spec.outputKind(), spec.temperature(),
                config.inference().topK(), config.inference().minConfidence(), config.inference().classThresholds());
        return new CameraWorker(new CameraWorker.Settings(camera.id(), config.hardExamples(),
                config.events().thumbnail() ? config.events().thumbnailMaxSide() : 0), camera.slot(), model, decoder,
                post, new EventPolicy(config.events().mode(), config.events().heartbeatSeconds()), camera.metrics(),
                spool::append, new EventMessages(topics, config.deviceId(), camera.id(), ref, config.events().qos()),
                camera.sequence);
    }

    /**
     * Switches every camera to a new, already smoke-tested model: workers finish their frame in flight and stop,
     * new workers start on the new session, the old session is closed. Frames keep arriving in the slots meanwhile
     * (latest wins). If the new workers cannot be built, the previous model is restored and the error thrown.
     */
    @Override
    public synchronized void activate(ModelSpec spec) throws ModelLoadException, ai.onnxruntime.OrtException,
            InterruptedException {
        if (closed) {
            throw new IllegalStateException("agent is shutting down");
        }
        ModelRuntime next = ModelRuntime.open(spec, config.inference().intraOpThreads(),
                config.inference().optimization());
        ModelRef nextRef = new ModelRef(spec.name(), spec.version(), spec.sha256());
        List<CameraWorker> replacements = new ArrayList<>();
        try {
            for (Camera c : cameras) {
                replacements.add(worker(c, next, nextRef));
            }
        } catch (IllegalArgumentException e) {
            next.close();
            throw new ModelLoadException(spec.onnx() + ": does not fit the configuration: " + e.getMessage(), e);
        }
        for (Camera c : cameras) {
            c.worker().stop(5000);
            if (c.worker().isAlive()) {
                next.close();
                throw new IllegalStateException("camera " + c.id() + ": worker did not stop within 5 s; the previous "
                        + "model keeps serving");
            }
        }
        ModelRuntime previousRuntime = runtime;
        runtime = next;
        modelRef = nextRef;
        for (int i = 0; i < cameras.size(); i++) {
            Camera c = cameras.get(i);
            c.worker = replacements.get(i);
            c.worker.start();
        }
        previousRuntime.close();
        LOG.info("model {} {} active ({} labels)", spec.name(), spec.version(), spec.labels().size());
    }

    /** The model serving now. */
    @Override
    public ModelRef model() {
        return modelRef;
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
        ModelSpec spec = ModelSpecs.resolve(config.deploy().enabled() ? Deployer.activeModel(config) : config.model());
        ModelRuntime runtime = ModelRuntime.open(spec, config.inference().intraOpThreads(),
                config.inference().optimization());
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

    private DeviceStatus status(DeviceState state) {
        return new DeviceStatus(Payloads.SCHEMA, config.deviceId(), state, Instant.now(), startedAt, VERSION,
                modelRef, config.cameras().stream().map(CameraConfig::id).toList());
    }

    /** Starts the link, workers and sources, and the periodic metrics. */
    public void start() {
        if (deployer != null) {
            deployer.start();
        }
        link.start();
        for (Camera c : cameras) {
            c.worker().start();
            c.runner().start();
        }
        long interval = config.metrics().intervalSeconds();
        scheduler.scheduleAtFixedRate(this::publishMetrics, interval, interval, TimeUnit.SECONDS);
        long sync = Math.max(100, config.spool().syncMillis());
        scheduler.scheduleWithFixedDelay(this::syncSpool, sync, sync, TimeUnit.MILLISECONDS);
        LOG.info("agent {} running: model {} ({} labels), {} camera(s), broker {}", config.deviceId(),
                runtime.spec().version(), runtime.spec().labels().size(), cameras.size(), config.mqtt().broker());
    }

    /** The MQTT link (for status and tests). */
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
            perCamera.add(new io.edgeloop.protocol.mqtt.CameraMetrics(c.id(),
                    Math.round((classified - prev.classified()) / seconds * 100) / 100.0, classified,
                    c.slot().dropped(), rejected, p50, Math.max(p50, p95)));
            previous.put(c.id(), new Previous(classified, latencyNow));
            queued += c.slot().waiting() ? 1 : 0;
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("framesIn", m.frames());
            values.put("events", m.eventCount());
            values.put("hardExamples", m.hardExampleCount());
            values.put("rejected", m.rejectedByReason());
            values.put("errors", m.errorCount());
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
    private record Previous(long classified, io.edgeloop.agent.metrics.LatencyHistogram.Snapshot latency) {
        static final Previous EMPTY = new Previous(0, io.edgeloop.agent.metrics.LatencyHistogram.Snapshot.empty());
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
        try {
            if (deployer != null) {
                deployer.stop(Math.min(3000, left(deadline)));
            }
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
                runtime.close();
            } else {
                LOG.warn("a worker is still running after the shutdown timeout; leaving the ORT session to the OS");
            }
            LOG.info("agent {} stopped ({} messages left in the spool)", config.deviceId(), spool.pending());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ai.onnxruntime.OrtException e) {
            LOG.warn("closing the ORT session failed: {}", e.getMessage());
        }
    }

    private static long left(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}

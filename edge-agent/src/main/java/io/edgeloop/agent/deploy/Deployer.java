package io.edgeloop.agent.deploy;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.pipeline.EventSink;
import io.edgeloop.agent.pipeline.ModelSpecs;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.signing.VerificationException;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies deploy commands on its own thread: ignores commands older than the last one applied or for the model
 * already serving; otherwise reports {@code received}, downloads (URL or inline), checks size, SHA-256 and the
 * Ed25519 signature against the trust store ({@code verifying}), stores the file under
 * {@code <modelsDir>/<name>/<version>/model.onnx}, loads it and runs one inference ({@code smoke-testing}), switches
 * the agent to it ({@code active}) and remembers it for restarts. A refused model is {@code rejected} with the reason;
 * the previous model keeps serving. Status messages go through the spool (retained, in order with events).
 */
public final class Deployer {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private record Inbound(String topic, byte[] payload) {
    }

    private final AgentConfig config;
    private final Topics topics;
    private final TrustStore trust;
    private final ModelActivator agent;
    private final EventSink sink;
    private final BlockingQueue<Inbound> queue = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private final HttpClient http;
    private volatile boolean running = true;
    private Instant lastApplied;
    private Instant lastRejected;

    public Deployer(AgentConfig config, Topics topics, TrustStore trust, ModelActivator agent, EventSink sink) {
        this.config = config;
        this.topics = topics;
        this.trust = trust;
        this.agent = agent;
        this.sink = sink;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.thread = new Thread(this::loop, "deploy");
        this.thread.setDaemon(true);
        try {
            ActiveModel active = ActiveModel.read(Path.of(config.stateDir()));
            lastApplied = active == null ? null : active.issuedAt();
        } catch (IOException e) {
            LOG.warn("cannot read the active model record: {}", e.toString());
        }
    }

    /**
     * The model config to start with: the last deployed model if its file is still there, else the configured one.
     */
    public static ModelConfig activeModel(AgentConfig config) {
        try {
            ActiveModel active = ActiveModel.read(Path.of(config.stateDir()));
            if (active != null && Files.isRegularFile(Path.of(active.path()))) {
                LOG.info("starting with the deployed model {} {} ({})", active.name(), active.version(),
                        active.path());
                return config.model().withPath(active.path());
            }
        } catch (IOException e) {
            LOG.warn("cannot read the active model record, using the configured model: {}", e.toString());
        }
        return config.model();
    }

    public void start() {
        thread.start();
    }

    /** Hands over a message from MQTT (Paho's thread): never blocks, never throws. */
    public void offer(String topic, byte[] payload) {
        if (payload.length == 0) {
            return; // a cleared retained command
        }
        if (!queue.offer(new Inbound(topic, payload))) {
            LOG.warn("deploy queue full; dropped a command on {} (it is retained and comes back on reconnect)", topic);
        }
    }

    private void loop() {
        while (running) {
            try {
                Inbound in = queue.poll(200, TimeUnit.MILLISECONDS);
                if (in != null) {
                    handle(in);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("deploy failed unexpectedly: {}", e.toString(), e);
            }
        }
    }

    private void handle(Inbound in) throws InterruptedException {
        DeployCommand cmd;
        try {
            cmd = (DeployCommand) Payloads.decode(topics, in.topic(), in.payload()).payload();
        } catch (MessageRejectedException | ClassCastException e) {
            LOG.warn("ignored a message on {}: {}", in.topic(), e.getMessage());
            return;
        }
        ModelRef target = new ModelRef(cmd.name(), cmd.version(), cmd.sha256());
        if (lastRejected != null && !cmd.issuedAt().isAfter(lastRejected)) {
            return; // a retained command refused before, redelivered after a reconnect
        }
        if (lastApplied != null && !cmd.issuedAt().isAfter(lastApplied)) {
            LOG.debug("ignored deploy of {} {}: issued {} is not after the last applied {}", cmd.name(),
                    cmd.version(), cmd.issuedAt(), lastApplied);
            return;
        }
        ModelRef serving = agent.model();
        if (cmd.sha256().equals(serving.sha256())) {
            LOG.info("deploy of {} {}: already active", cmd.name(), cmd.version());
            lastApplied = cmd.issuedAt();
            return;
        }
        status(target, DeployState.RECEIVED, null);
        status(target, DeployState.VERIFYING, null);
        Path file;
        try {
            byte[] bytes = fetch(cmd);
            // size, SHA-256, trusted key id and Ed25519 signature, in that order
            trust.verify(bytes, ModelSignature.of(cmd));
            file = store(cmd, bytes);
        } catch (IOException | VerificationException | IllegalArgumentException e) {
            reject(target, e.getMessage());
            lastRejected = cmd.issuedAt();
            return;
        }
        status(target, DeployState.SMOKE_TESTING, null);
        ModelSpec spec;
        try {
            spec = ModelSpecs.resolve(config.model().withPath(file.toString()));
            // the decision rules must fit the new labels (per-class thresholds name classes)
            new Postprocessor(spec.labels(), spec.outputKind(), spec.temperature(), config.inference().topK(),
                    config.inference().minConfidence(), config.inference().classThresholds());
            smokeTest(spec);
        } catch (ConfigException | ModelLoadException | OrtException | RuntimeException e) {
            reject(target, "smoke test failed: " + e.getMessage());
            lastRejected = cmd.issuedAt();
            return;
        }
        try {
            agent.activate(spec);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            status(target, DeployState.ROLLED_BACK, "activation failed, previous model "
                    + agent.model().version() + " restored: " + e.getMessage());
            lastRejected = cmd.issuedAt();
            return;
        }
        lastApplied = cmd.issuedAt();
        try {
            new ActiveModel(file.toString(), cmd.name(), cmd.version(), cmd.sha256(), cmd.issuedAt())
                    .write(Path.of(config.stateDir()));
        } catch (IOException e) {
            LOG.warn("model {} {} is active but could not be remembered for restarts: {}", cmd.name(),
                    cmd.version(), e.toString());
        }
        status(target, DeployState.ACTIVE, null);
    }

    private byte[] fetch(DeployCommand cmd) throws IOException, InterruptedException {
        long max = config.deploy().maxBytes();
        if (cmd.sizeBytes() > max) {
            throw new IOException("model is " + cmd.sizeBytes() + " bytes, allowed at most " + max
                    + " (deploy.maxBytes)");
        }
        if (cmd.inline() != null) {
            return Base64.getDecoder().decode(cmd.inline());
        }
        URI uri = URI.create(cmd.url());
        if ("file".equals(uri.getScheme())) {
            Path p = Path.of(uri);
            if (Files.size(p) > max) {
                throw new IOException(uri + " is " + Files.size(p) + " bytes, allowed at most " + max);
            }
            return Files.readAllBytes(p);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(config.deploy().downloadTimeoutSeconds())).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode() + ", expected 200");
            }
            byte[] bytes = body.readNBytes((int) Math.min(max, cmd.sizeBytes()) + 1);
            if (bytes.length > cmd.sizeBytes()) {
                throw new IOException(uri + " sent more than the " + cmd.sizeBytes() + " bytes the command says");
            }
            return bytes;
        }
    }

    private Path store(DeployCommand cmd, byte[] bytes) throws IOException {
        Path dir = config.modelsDir().resolve(cmd.name()).resolve(cmd.version());
        Files.createDirectories(dir);
        Path file = dir.resolve("model.onnx");
        Path tmp = dir.resolve("model.onnx.tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Loads the model in its own session and runs one inference on a grey frame; the scores must be finite. */
    private void smokeTest(ModelSpec spec) throws ModelLoadException, OrtException {
        try (ModelRuntime runtime = ModelRuntime.open(spec, config.inference().intraOpThreads(),
                config.inference().optimization());
                InferenceContext context = runtime.newContext()) {
            int size = spec.preprocess().cropSize();
            BufferedImage grey = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            var g = grey.createGraphics();
            g.setColor(java.awt.Color.GRAY);
            g.fillRect(0, 0, size, size);
            g.dispose();
            context.input().clear();
            new ImagePreprocessor(spec.preprocess()).preprocess(grey, context.input());
            for (float v : context.run()) {
                if (!Float.isFinite(v)) {
                    throw new ModelLoadException(spec.onnx() + ": inference on a grey frame gave " + v);
                }
            }
        }
    }

    private void reject(ModelRef target, String reason) {
        LOG.warn("deploy of {} {} rejected: {}", target.name(), target.version(), reason);
        status(target, DeployState.REJECTED, reason);
    }

    private void status(ModelRef target, DeployState state, String reason) {
        DeployStatus status = new DeployStatus(Payloads.SCHEMA, config.deviceId(), target, state,
                reason == null ? null : truncate(reason), Instant.now());
        try {
            sink.publish(new SpooledMessage(topics.deployStatus(config.deviceId()), TopicKind.DEPLOY_STATUS.qos(),
                    TopicKind.DEPLOY_STATUS.retained(), Payloads.encode(status)));
        } catch (IOException e) {
            LOG.warn("deploy status {} could not be spooled: {}", state, e.toString());
        }
    }

    private static String truncate(String reason) {
        return reason.length() <= 1000 ? reason : reason.substring(0, 997) + "...";
    }

    /** Stops the deploy thread (a deploy in progress finishes or is abandoned after the timeout). */
    public void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Math.max(1, timeoutMillis));
    }
}

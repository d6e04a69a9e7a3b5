package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.trainer.broker.BrokerException;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.Deployer;
import io.edgeloop.trainer.deploy.SignedDeployment;
import io.edgeloop.trainer.deploy.UrlCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Signs a model package and deploys it over MQTT: what {@code trainer deploy} runs, and what the demo calls to roll
 * out a retrained model and wait for the device to switch.
 *
 * <pre>{@code
 * DeployResult r = new DeployJob().run(DeployRequest.builder()
 *         .setModel(run.resolve("model.onnx")).setKey(keys.resolve("deploy.pem"))
 *         .setBroker(broker.uri()).setTarget(DeployTarget.device("gate-01"))
 *         .optWaitFor(Duration.ofSeconds(90)).build(), DeployJob.Listener.NONE);
 * if (r.outcome() != DeployResult.Outcome.ACTIVE) { ... r.summary() says why ... }
 * }</pre>
 *
 * <p>Bad input — a model that is no model package, a key that is no private Ed25519 key, a URL that serves another
 * file — is an {@link IllegalArgumentException} naming the option as {@code trainer deploy} spells it, the value and
 * what is allowed, raised before anything is published. A broker that cannot be reached or stops answering is a
 * {@link BrokerException}; a URL that cannot be fetched for the check an {@link IOException}. A device that refuses
 * the model is not an exception: it is the result's {@link DeployResult.Outcome#NOT_ACTIVE}.
 */
public final class DeployJob {

    /** Follows a deploy as it happens (the command prints each step). Called on the calling thread. */
    public interface Listener {

        /** Ignores everything. */
        Listener NONE = new Listener() {
        };

        /** Connected; the signed command is about to be published on {@code topic}. */
        default void publishing(DeployCommand command, DeployRequest request, String topic) {
        }

        /** A device reported a new state of this deploy. */
        default void status(DeployStatus status) {
        }
    }

    private static final String MODEL_PACKAGE = "a model package written by 'trainer fit' (ONNX with a model card in"
            + " its metadata)";
    private static final Duration URL_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final Clock clock;

    /** Stamps commands with the system clock. */
    public DeployJob() {
        this(Clock.systemUTC());
    }

    /** Stamps commands ({@code issuedAt}) with {@code clock}. */
    public DeployJob(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the model and the key, signs, and with a URL checks that it serves this model; publishes nothing.
     *
     * @throws IllegalArgumentException for a bad model, key or URL (named, with what is allowed)
     * @throws IOException              if a file cannot be read or the URL cannot be fetched
     */
    public DeployCommand sign(DeployRequest request) throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        ModelPackage model = readModel(request.model());
        ModelSigner signer = readKey(request.key());
        DeployCommand command;
        try {
            command = SignedDeployment.create(model, signer, request.url().orElse(null), clock.instant());
            if (request.rollback()) {
                command = command.asRollback();
            }
        } catch (ModelPackageException e) {
            throw new IllegalArgumentException("--model " + e.getMessage(), e);
        }
        if (command.url() != null && request.checkUrl()) {
            try {
                UrlCheck.check(command, URL_CHECK_TIMEOUT);
            } catch (IOException e) {
                throw new IOException("cannot fetch --url " + command.url() + " (" + why(e) + "); use"
                        + " --no-check-url if only the devices can reach it", e);
            }
        }
        return command;
    }

    /**
     * Signs, publishes the command (retained, so a device that connects later still gets it) and, with a positive
     * {@link DeployRequest#waitFor()}, follows the devices until every expected one reached a final state or the
     * wait is over.
     *
     * @throws IllegalArgumentException for bad input, before anything is published
     * @throws BrokerException          if the broker cannot be reached or stops answering (named)
     */
    public DeployResult run(DeployRequest request, Listener listener) throws IOException, InterruptedException {
        return run(request, ShadowDeploy.NONE, listener);
    }

    /**
     * {@link #run(DeployRequest, Listener)} with the command made a shadow deploy, or the end of one
     * ({@link ShadowDeploy}); the outcome is {@code ACTIVE} only when the device promoted the candidate.
     */
    public DeployResult run(DeployRequest request, ShadowDeploy shadow, Listener listener) throws IOException,
            InterruptedException {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(shadow, "shadow");
        DeployCommand command = shadow.apply(sign(request));
        String topic = request.target().commandTopic(request.topics());
        try (Deployer deployer = Deployer.connect(request.broker(), request.clientId(), request.topics(),
                request.credentials())) {
            listener.publishing(command, request, topic);
            DeployProgress progress = deployer.deploy(request.target(), command, request.waitFor(),
                    listener::status);
            return new DeployResult(command, request.target(), topic, outcome(request, progress), progress.latest(),
                    progress.describe());
        } catch (MqttException e) {
            throw new BrokerException(request.broker(), "broker " + request.broker() + ": "
                    + BrokerException.describe(e), e);
        }
    }

    private static DeployResult.Outcome outcome(DeployRequest request, DeployProgress progress) {
        if (request.waitFor().isZero()) {
            return DeployResult.Outcome.PUBLISHED;
        }
        if (progress.succeeded()) {
            return DeployResult.Outcome.ACTIVE;
        }
        return progress.done() ? DeployResult.Outcome.NOT_ACTIVE : DeployResult.Outcome.NO_FINAL_STATUS;
    }

    /** The package, or an error that says what the file is instead and what {@code --model} needs. */
    static ModelPackage readModel(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + file + " not found, allowed " + MODEL_PACKAGE);
        }
        try {
            return ModelPackage.read(file);
        } catch (ModelPackageException e) {
            String prefix = e.file() + ": ";
            String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            String what = switch (onnxKind(file)) {
                case NOT_ONNX -> "is not an ONNX model";
                case PLAIN -> "is a plain ONNX model without a model card";
                case WITH_CARD -> "is not a usable model package (" + problem + ")";
            };
            throw new IllegalArgumentException("--model " + file + " " + what + ", allowed " + MODEL_PACKAGE, e);
        }
    }

    private enum OnnxKind { NOT_ONNX, PLAIN, WITH_CARD }

    /** What a file that failed as a model package is: not ONNX, ONNX without a card, or ONNX with a bad card. */
    private static OnnxKind onnxKind(Path file) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return OnnxKind.NOT_ONNX;
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            return OnnxKind.NOT_ONNX;
        }
        boolean card = model.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
        return card ? OnnxKind.WITH_CARD : OnnxKind.PLAIN;
    }

    /** The signer, or an error that says what the file is instead and which key {@code --key} needs. */
    static ModelSigner readKey(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--key " + file + " not found, allowed an Ed25519 private key file"
                    + " (PKCS#8 PEM, owner-only) such as the deploy.pem 'trainer keys generate' writes");
        }
        try {
            return ModelSigner.fromFile(file);
        } catch (KeyFileException e) {
            if (isPublicKey(file)) {
                String name = file.getFileName().toString();
                String example = name.endsWith(".pub.pem")
                        ? "the " + name.substring(0, name.length() - ".pub.pem".length()) + ".pem that 'trainer keys"
                                + " generate' writes beside " + name
                        : "the deploy.pem that 'trainer keys generate' writes, not its deploy.pub.pem";
                throw new IllegalArgumentException("--key " + file + " is a public key; deploy signs with the"
                        + " private one: allowed an Ed25519 private key (PKCS#8 PEM, owner-only) such as " + example,
                        e);
            }
            throw new IllegalArgumentException("--key " + e.getMessage(), e);
        }
    }

    private static boolean isPublicKey(Path file) {
        try {
            KeyFiles.readPublicKey(file);
            return true;
        } catch (KeyFileException e) {
            return false;
        }
    }

    private static String why(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

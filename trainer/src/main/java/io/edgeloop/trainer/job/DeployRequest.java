package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.BrokerUri;
import io.edgeloop.trainer.collect.MqttCredentials;
import io.edgeloop.trainer.deploy.DeployTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed deploy of one model package to a device or the fleet, as {@link DeployJob} runs it. Immutable and
 * validated; messages name each setting as {@code trainer deploy} spells it. Build one with {@link #builder()}.
 *
 * @param model       the model package ({@code --model}): ONNX with a model card, as {@code trainer fit} writes it
 * @param key         the Ed25519 private key that signs ({@code --key}), PKCS#8 PEM, owner-only
 * @param broker      the MQTT broker ({@code --broker})
 * @param target      one device or the fleet ({@code --device} / {@code --fleet})
 * @param url         where devices download the model ({@code --url}); empty to carry it inline
 * @param checkUrl    whether to download {@code url} first and check it serves this model
 * @param waitFor     how long to follow the devices' deploy status; zero to publish only ({@code --wait})
 * @param topics      the topic scheme ({@code --prefix})
 * @param clientId    the MQTT client id ({@code --client-id})
 * @param credentials broker login
 * @param rollback    whether the command is an explicit rollback ({@code --rollback}): devices then accept a model
 *                    older than the one they run
 */
public record DeployRequest(Path model, Path key, String broker, DeployTarget target, Optional<String> url,
                            boolean checkUrl, Duration waitFor, Topics topics, String clientId,
                            MqttCredentials credentials, boolean rollback) {

    public DeployRequest {
        require("--model", model);
        require("--key", key);
        if (broker == null) {
            throw new IllegalArgumentException("--broker is missing, allowed tcp://host:port, ssl://host:port,"
                    + " ws://host:port or wss://host:port");
        }
        BrokerUri.require(broker);
        if (target == null) {
            throw new IllegalArgumentException("the target is missing, allowed --device ID or --fleet");
        }
        Objects.requireNonNull(url, "url");
        if (waitFor == null || waitFor.isNegative()) {
            throw new IllegalArgumentException("--wait is " + (waitFor == null ? "missing" : waitFor.toSeconds()
                    + " s") + ", allowed 0 or more seconds");
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** A builder with the defaults of {@code trainer deploy}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void require(String option, Path file) {
        if (file == null) {
            throw new IllegalArgumentException(option + " is missing");
        }
    }

    /** Required: {@code set*}; optional with the defaults of {@code trainer deploy}: {@code opt*}. */
    public static final class Builder {
        private Path model;
        private Path key;
        private String broker;
        private DeployTarget target;
        private String url;
        private boolean checkUrl = true;
        private Duration waitFor = Duration.ZERO;
        private String prefix = Topics.DEFAULT_PREFIX;
        private String clientId;
        private MqttCredentials credentials = MqttCredentials.NONE;
        private boolean rollback;

        private Builder() {
        }

        /** The model package. */
        public Builder setModel(Path file) {
            this.model = file;
            return this;
        }

        /** The private key file that signs. */
        public Builder setKey(Path file) {
            this.key = file;
            return this;
        }

        /** The broker URI. */
        public Builder setBroker(String uri) {
            this.broker = uri;
            return this;
        }

        /** One device or the fleet. */
        public Builder setTarget(DeployTarget who) {
            this.target = who;
            return this;
        }

        /** Devices download the model from {@code downloadUrl} (default: inline); {@code null} for inline. */
        public Builder optUrl(String downloadUrl) {
            this.url = downloadUrl;
            return this;
        }

        /** Whether to check the URL serves this model first; default yes. */
        public Builder optCheckUrl(boolean check) {
            this.checkUrl = check;
            return this;
        }

        /** Follow the devices' status this long; default zero (publish only). */
        public Builder optWaitFor(Duration wait) {
            this.waitFor = wait;
            return this;
        }

        /** Topic prefix; default {@value Topics#DEFAULT_PREFIX}. */
        public Builder optPrefix(String topicPrefix) {
            this.prefix = topicPrefix;
            return this;
        }

        /** MQTT client id; default {@code edgeloop-deploy-<pid>}. */
        public Builder optClientId(String id) {
            this.clientId = id;
            return this;
        }

        /** Broker login; default anonymous. */
        public Builder optCredentials(MqttCredentials login) {
            this.credentials = login;
            return this;
        }

        /** An explicit rollback (devices accept an older model); default false. */
        public Builder optRollback(boolean value) {
            this.rollback = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting, its value and what is allowed */
        public DeployRequest build() {
            return new DeployRequest(model, key, broker, target, Optional.ofNullable(url), checkUrl, waitFor,
                    new Topics(prefix), clientId != null ? clientId : "edgeloop-deploy-" + ProcessHandle.current()
                    .pid(), credentials, rollback);
        }
    }
}

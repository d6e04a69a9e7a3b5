package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.CollectDefaults;
import io.edgeloop.trainer.collect.CollectorSettings;
import io.edgeloop.trainer.collect.MqttCredentials;
import io.edgeloop.trainer.fleet.TelemetryLog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CollectJob} collects, from where, into which inbox. Immutable and validated; messages name each
 * setting as {@code trainer collect} spells it. Build one with {@link #builder()}.
 *
 * @param settings          broker, client id, group, topics, session expiry, reconnect delays, login
 * @param inbox             the inbox directory (created if missing); {@code trainer collect --dir DIR} uses
 *                          {@code DIR/inbox}
 * @param nearDuplicateBits largest difference-hash distance skipped as a near duplicate; -1 turns that off
 * @param maxPerHour        examples stored per device per sliding hour; 0 for no limit
 * @param connectAttempts   how often the first connection is tried before the job fails
 * @param telemetry         where the devices' metrics are recorded for drift telemetry ({@link TelemetryLog});
 *                          empty to not subscribe to them. {@code trainer collect --dir DIR} uses
 *                          {@code DIR/telemetry}
 * @param telemetryMaxBytes size at which a camera's telemetry file is rotated
 */
public record CollectRequest(CollectorSettings settings, Path inbox, int nearDuplicateBits, int maxPerHour,
                             int connectAttempts, Optional<Path> telemetry, long telemetryMaxBytes) {

    /** How often the first connection is tried by default (0.5 s and 1 s apart, with jitter). */
    public static final int DEFAULT_CONNECT_ATTEMPTS = 3;

    public CollectRequest {
        Objects.requireNonNull(settings, "settings");
        if (inbox == null) {
            throw new IllegalArgumentException("--dir is missing, allowed a working directory (examples go to"
                    + " DIR/inbox)");
        }
        if (nearDuplicateBits < -1 || nearDuplicateBits > 32) {
            throw new IllegalArgumentException("--near-duplicate-bits is " + nearDuplicateBits + ", allowed -1 (off)"
                    + " to 32");
        }
        if (maxPerHour < 0) {
            throw new IllegalArgumentException("--max-per-hour is " + maxPerHour + ", allowed 0 (no limit) or more");
        }
        if (connectAttempts < 1) {
            throw new IllegalArgumentException("connect attempts is " + connectAttempts + ", allowed 1 or more");
        }
        Objects.requireNonNull(telemetry, "telemetry");
        if (telemetryMaxBytes < 4096) {
            throw new IllegalArgumentException("--telemetry-max-bytes is " + telemetryMaxBytes + ", allowed at least"
                    + " 4096");
        }
    }

    /** A builder with the defaults of {@code trainer collect}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code collector-<hostname>}: stable across restarts of the collector on one workstation, which its persistent
     * session needs.
     */
    public static String defaultClientId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "local";
        }
        String cleaned = "collector-" + host.replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    /** Required: {@code set*}; optional with the defaults of {@code trainer collect}: {@code opt*}. */
    public static final class Builder {
        private String broker;
        private Path inbox;
        private String clientId;
        private String group = CollectorSettings.DEFAULT_GROUP;
        private String prefix = Topics.DEFAULT_PREFIX;
        private Duration sessionExpiry = CollectorSettings.DEFAULT_SESSION_EXPIRY;
        private int nearDuplicateBits = CollectDefaults.NEAR_DUPLICATE_BITS;
        private int maxPerHour;
        private MqttCredentials credentials = MqttCredentials.NONE;
        private int connectAttempts = DEFAULT_CONNECT_ATTEMPTS;
        private Duration reconnectMin = Duration.ofMillis(500);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private Path telemetry;
        private long telemetryMaxBytes = TelemetryLog.DEFAULT_MAX_BYTES;

        private Builder() {
        }

        /** The broker, {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://}). */
        public Builder setBroker(String uri) {
            this.broker = uri;
            return this;
        }

        /** The inbox directory. */
        public Builder setInbox(Path dir) {
            this.inbox = dir;
            return this;
        }

        /** MQTT client id; default {@link #defaultClientId()}. */
        public Builder optClientId(String id) {
            this.clientId = id;
            return this;
        }

        /** Shared-subscription group; default {@value CollectorSettings#DEFAULT_GROUP}. */
        public Builder optGroup(String name) {
            this.group = name;
            return this;
        }

        /** Topic prefix; default {@value Topics#DEFAULT_PREFIX}. */
        public Builder optPrefix(String topicPrefix) {
            this.prefix = topicPrefix;
            return this;
        }

        /** How long the broker queues for the collector while it is away; default 7 days. */
        public Builder optSessionExpiry(Duration expiry) {
            this.sessionExpiry = expiry;
            return this;
        }

        /** Near-duplicate distance in bits, -1 for off; default {@value CollectDefaults#NEAR_DUPLICATE_BITS}. */
        public Builder optNearDuplicateBits(int bits) {
            this.nearDuplicateBits = bits;
            return this;
        }

        /** Examples per device per hour, 0 for no limit (the default). */
        public Builder optMaxPerHour(int max) {
            this.maxPerHour = max;
            return this;
        }

        /** Broker login; default anonymous. */
        public Builder optCredentials(MqttCredentials login) {
            this.credentials = login;
            return this;
        }

        /** How often the first connection is tried; default {@value CollectRequest#DEFAULT_CONNECT_ATTEMPTS}. */
        public Builder optConnectAttempts(int attempts) {
            this.connectAttempts = attempts;
            return this;
        }

        /** Reconnect backoff, first and largest delay; default 0.5 s to 30 s. */
        public Builder optReconnectDelays(Duration min, Duration max) {
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        /** Also records the devices' metrics for drift telemetry into {@code dir}; default off. */
        public Builder optTelemetry(Path dir) {
            this.telemetry = dir;
            return this;
        }

        /** Size at which a camera's telemetry file is rotated; default 4 MiB. */
        public Builder optTelemetryMaxBytes(long bytes) {
            this.telemetryMaxBytes = bytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting, its value and what is allowed */
        public CollectRequest build() {
            if (broker == null) {
                throw new IllegalArgumentException("--broker is missing, allowed tcp://host:port, ssl://host:port,"
                        + " ws://host:port or wss://host:port");
            }
            CollectorSettings settings = new CollectorSettings(broker, clientId != null ? clientId
                    : defaultClientId(), group, new Topics(prefix), sessionExpiry, reconnectMin, reconnectMax,
                    Objects.requireNonNull(credentials, "credentials"));
            return new CollectRequest(settings, inbox, nearDuplicateBits, maxPerHour, connectAttempts,
                    Optional.ofNullable(telemetry), telemetryMaxBytes);
        }
    }
}

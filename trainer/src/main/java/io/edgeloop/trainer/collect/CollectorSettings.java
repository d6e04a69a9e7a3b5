package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.id.Ids;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.BrokerUri;
import java.time.Duration;
import java.util.Objects;

/**
 * How a collector connects and subscribes.
 *
 * @param brokerUri      {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://})
 * @param clientId       MQTT client id; must stay the same across restarts, since the broker keeps the session
 *                       (and the examples sent while the collector was away) under it
 * @param group          shared-subscription group; collectors in one group split the examples
 * @param topics         topic scheme (prefix)
 * @param sessionExpiry  how long the broker keeps the session while the collector is away
 * @param reconnectMin   first reconnect delay
 * @param reconnectMax   largest reconnect delay
 * @param credentials    user name and password, or {@link MqttCredentials#NONE}
 */
public record CollectorSettings(String brokerUri, String clientId, String group, Topics topics,
                                Duration sessionExpiry, Duration reconnectMin, Duration reconnectMax,
                                MqttCredentials credentials) {

    /** Default shared-subscription group. */
    public static final String DEFAULT_GROUP = "collectors";
    /** Default session expiry: a week of collector downtime is buffered by the broker. */
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);

    public CollectorSettings {
        BrokerUri.require(brokerUri);
        Ids.require("client id", clientId);
        Ids.require("shared subscription group", group);
        Objects.requireNonNull(topics, "topics");
        if (sessionExpiry == null || sessionExpiry.isNegative() || sessionExpiry.toSeconds() > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("session expiry is " + (sessionExpiry == null ? "missing"
                    : sessionExpiry.toSeconds() + " s") + ", allowed 0 to " + 0xFFFFFFFFL + " s");
        }
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        if (reconnectMin.toMillis() < 1 || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect delay is " + reconnectMin + ".." + reconnectMax
                    + ", allowed 1 ms <= min <= max");
        }
        Objects.requireNonNull(credentials, "credentials");
    }

    /** Defaults for a broker and client id: group {@value #DEFAULT_GROUP}, default prefix, 7 days, 0.5–30 s. */
    public static CollectorSettings of(String brokerUri, String clientId) {
        return new CollectorSettings(brokerUri, clientId, DEFAULT_GROUP, Topics.DEFAULT, DEFAULT_SESSION_EXPIRY,
                Duration.ofMillis(500), Duration.ofSeconds(30), MqttCredentials.NONE);
    }

    /**
     * The metrics filter for drift telemetry: {@code $share/<group>/<prefix>/+/metrics}, so collectors in one group
     * split the messages as they split the examples.
     */
    public String metricsFilter() {
        return Topics.shared(group, topics.filter(io.edgeloop.protocol.mqtt.TopicKind.METRICS));
    }

    /** The subscription filter: {@code $share/<group>/<prefix>/+/+/hard}. */
    public String filter() {
        return Topics.shared(group, topics.filter(io.edgeloop.protocol.mqtt.TopicKind.HARD));
    }
}

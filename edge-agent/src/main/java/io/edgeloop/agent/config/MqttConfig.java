package io.edgeloop.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The broker connection.
 *
 * @param broker                broker URI, {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId              MQTT client id (default {@code edgeloop-<deviceId>})
 * @param topicPrefix           first topic level(s) (default {@code edgeloop})
 * @param username              user name, or null for anonymous
 * @param passwordEnv           environment variable holding the password
 * @param passwordFile          file holding the password
 * @param tls                   TLS settings (required for ssl://)
 * @param keepAliveSeconds      keep-alive interval (5..3600, default 30)
 * @param connectTimeoutSeconds connect timeout (1..300, default 10)
 * @param sessionExpirySeconds  broker-side session expiry for the persistent session (0..4294967295, default 3600)
 * @param reconnectInitialMillis first reconnect delay (100..60000, default 500)
 * @param reconnectMaxMillis    longest reconnect delay (reconnectInitialMillis..3600000, default 30000)
 */
public record MqttConfig(
        String broker,
        String clientId,
        String topicPrefix,
        String username,
        String passwordEnv,
        String passwordFile,
        TlsConfig tls,
        Integer keepAliveSeconds,
        Integer connectTimeoutSeconds,
        Long sessionExpirySeconds,
        Long reconnectInitialMillis,
        Long reconnectMaxMillis) {

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl");

    public MqttConfig {
        broker = ConfigValues.required("broker", broker, "tcp://host:port or ssl://host:port");
        URI uri;
        try {
            uri = new URI(broker);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker is '" + broker
                    + "', allowed tcp://host:port or ssl://host:port");
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null
                || uri.getPort() < 1) {
            throw new IllegalArgumentException("broker is '" + broker
                    + "', allowed tcp://host:port or ssl://host:port");
        }
        if (uri.getScheme().equals("ssl") && tls == null) {
            throw new IllegalArgumentException("tls is missing, required for the ssl:// broker " + broker);
        }
        clientId = ConfigValues.optional(clientId);
        if (clientId != null && !clientId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("clientId is '" + clientId
                    + "', allowed 1-128 characters of A-Z, a-z, 0-9, '_', '.' and '-'");
        }
        topicPrefix = topicPrefix == null ? "edgeloop" : topicPrefix;
        if (topicPrefix.isEmpty() || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")
                || topicPrefix.contains("+") || topicPrefix.contains("#") || topicPrefix.contains("//")
                || topicPrefix.startsWith("$")) {
            throw new IllegalArgumentException("topicPrefix is '" + topicPrefix
                    + "', allowed topic levels separated by '/', without wildcards, leading '$' or empty levels");
        }
        username = ConfigValues.optional(username);
        SecretRef.of("password", passwordEnv, passwordFile);
        keepAliveSeconds = ConfigValues.intRange("keepAliveSeconds", keepAliveSeconds, 30, 5, 3600);
        connectTimeoutSeconds = ConfigValues.intRange("connectTimeoutSeconds", connectTimeoutSeconds, 10, 1, 300);
        sessionExpirySeconds = ConfigValues.longRange("sessionExpirySeconds", sessionExpirySeconds, 3600, 0,
                4_294_967_295L);
        reconnectInitialMillis = ConfigValues.longRange("reconnectInitialMillis", reconnectInitialMillis, 500, 100,
                60_000);
        reconnectMaxMillis = ConfigValues.longRange("reconnectMaxMillis", reconnectMaxMillis, 30_000,
                reconnectInitialMillis, 3_600_000);
    }

    /** Where the password comes from, or null without a password. */
    public SecretRef password() {
        return SecretRef.of("password", passwordEnv, passwordFile);
    }

    /** Same settings with another broker URI. */
    public MqttConfig withBroker(String newBroker) {
        return new MqttConfig(newBroker, clientId, topicPrefix, username, passwordEnv, passwordFile, tls,
                keepAliveSeconds, connectTimeoutSeconds, sessionExpirySeconds, reconnectInitialMillis,
                reconnectMaxMillis);
    }
}

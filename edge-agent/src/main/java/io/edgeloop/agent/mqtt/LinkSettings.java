package io.edgeloop.agent.mqtt;

import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Resolved connection settings (secrets already read).
 *
 * @param broker                 broker URI
 * @param clientId               client id; with the persistent session the broker keeps its state per id
 * @param username               user name or null
 * @param password               password or null (never logged)
 * @param socketFactory          TLS socket factory or null for plain TCP
 * @param keepAliveSeconds       keep alive
 * @param connectTimeoutSeconds  connect timeout; also bounds each wait for an acknowledgement
 * @param sessionExpirySeconds   session expiry (clean start is false so the session survives reconnects)
 * @param reconnectInitialMillis first reconnect delay
 * @param reconnectMaxMillis     longest reconnect delay
 * @param statusTopic            where the retained birth and last will go
 * @param verifyHostname         with TLS, whether the broker's certificate must name the host of {@code broker}
 */
public record LinkSettings(String broker, String clientId, String username, char[] password,
        SocketFactory socketFactory, int keepAliveSeconds, int connectTimeoutSeconds, long sessionExpirySeconds,
        long reconnectInitialMillis, long reconnectMaxMillis, String statusTopic, boolean verifyHostname) {

    public LinkSettings {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(statusTopic, "statusTopic");
    }

    /** Settings that verify the broker's host name (the default). */
    public LinkSettings(String broker, String clientId, String username, char[] password, SocketFactory socketFactory,
            int keepAliveSeconds, int connectTimeoutSeconds, long sessionExpirySeconds, long reconnectInitialMillis,
            long reconnectMaxMillis, String statusTopic) {
        this(broker, clientId, username, password, socketFactory, keepAliveSeconds, connectTimeoutSeconds,
                sessionExpirySeconds, reconnectInitialMillis, reconnectMaxMillis, statusTopic, true);
    }

    @Override
    public String toString() {
        return "LinkSettings[broker=" + broker + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", tls=" + (socketFactory != null) + "]";
    }
}

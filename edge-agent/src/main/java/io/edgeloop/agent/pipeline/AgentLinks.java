package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.agent.mqtt.LinkSettings;
import io.edgeloop.agent.mqtt.TlsSocketFactory;
import java.util.Map;

/** Resolves the MQTT connection settings from the config: secrets, TLS, status topic. */
public final class AgentLinks {

    private AgentLinks() {
    }

    public static LinkSettings settings(AgentConfig config, Map<String, String> environment) throws ConfigException {
        var mqtt = config.mqtt();
        char[] password = mqtt.password() == null ? null : mqtt.password().resolve(environment);
        return new LinkSettings(mqtt.broker(), config.clientId(), mqtt.username(), password,
                mqtt.tls() == null ? null : TlsSocketFactory.create(mqtt.tls(), environment),
                mqtt.keepAliveSeconds(), mqtt.connectTimeoutSeconds(), mqtt.sessionExpirySeconds(),
                mqtt.reconnectInitialMillis(), mqtt.reconnectMaxMillis(),
                new Topics(mqtt.topicPrefix()).status(config.deviceId()),
                mqtt.tls() == null || mqtt.tls().verifyHostname());
    }
}

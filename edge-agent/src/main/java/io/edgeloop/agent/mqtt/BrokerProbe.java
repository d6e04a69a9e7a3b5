package io.edgeloop.agent.mqtt;

import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * One connect/disconnect with the agent's settings, for {@code check}: uses the client id with a {@code -check}
 * suffix and a clean session so it never takes over a running agent's session.
 */
public final class BrokerProbe {

    private BrokerProbe() {
    }

    /**
     * Connects and disconnects.
     *
     * @return null on success, else a readable reason
     */
    public static String probe(LinkSettings settings) {
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient(settings.broker(), settings.clientId() + "-check", new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(settings.connectTimeoutSeconds());
            o.setAutomaticReconnect(false);
            if (settings.username() != null) {
                o.setUserName(settings.username());
            }
            if (settings.password() != null) {
                o.setPassword(new String(settings.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (settings.socketFactory() != null) {
                o.setSocketFactory(settings.socketFactory());
                o.setHttpsHostnameVerificationEnabled(settings.verifyHostname());
            }
            client.connect(o).waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            client.disconnect().waitForCompletion(2000);
            return null;
        } catch (MqttException e) {
            return e.getMessage() + " (code " + e.getReasonCode() + ")"
                    + (e.getCause() != null ? ": " + e.getCause().getMessage() : "");
        } finally {
            if (client != null) {
                try {
                    client.close(true);
                } catch (MqttException e) {
                    // nothing left to release
                }
            }
        }
    }
}

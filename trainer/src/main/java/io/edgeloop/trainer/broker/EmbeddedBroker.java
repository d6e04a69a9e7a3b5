package io.edgeloop.trainer.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * An MQTT 5 broker inside the workstation's JVM (Moquette), for the demo and for small sites that run no broker of
 * their own. Bound to one address and port, anonymous access, in-memory sessions, no telemetry. A fleet that needs
 * durability or clustering uses a real broker (mosquitto, EMQX, HiveMQ) instead; the agents do not notice.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Where and how the broker listens. */
    public record Settings(String host, int port, int maxMessageBytes) {

        /** Loopback, an ephemeral port, 16 MiB messages (hard examples carry JPEGs). */
        public static final Settings DEFAULT = new Settings("127.0.0.1", 0, 16 << 20);

        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("broker port is " + port + ", allowed 0 (any free port)..65535");
            }
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException(
                        "broker maxMessageBytes is " + maxMessageBytes + ", allowed >= 1024");
            }
        }
    }

    private final Server server;
    private final String host;
    private final int port;

    private EmbeddedBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** Starts a broker and returns once it accepts connections. */
    public static EmbeddedBroker start(Settings settings) {
        int port = settings.port() == 0 ? FreePort.find(settings.host()) : settings.port();
        Properties props = new Properties();
        props.setProperty(IConfig.HOST_PROPERTY_NAME, settings.host());
        props.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        props.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(settings.maxMessageBytes()));
        props.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(props));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on "
                    + settings.host() + ":" + port + ": " + e.getMessage(), e);
        }
        return new EmbeddedBroker(server, settings.host(), port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The URI MQTT clients connect to, e.g. {@code tcp://127.0.0.1:18830}. */
    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}

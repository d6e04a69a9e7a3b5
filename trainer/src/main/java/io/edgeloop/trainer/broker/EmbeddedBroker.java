package io.edgeloop.trainer.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptExceptionMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker inside the workstation's JVM (Moquette), for the demo and for trials without a broker. Bound to
 * one address and port, anonymous access, in-memory sessions, no telemetry. A fleet uses a real broker (mosquitto,
 * EMQX, HiveMQ) instead; the agents do not notice. Moquette 0.18 can lose one of its session threads under load (see
 * {@link #fault()}); the broker reports that rather than leaving its clients to guess.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

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
    private final SessionLoopWatch watch;

    private EmbeddedBroker(Server server, String host, int port, SessionLoopWatch watch) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.watch = watch;
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
        SessionLoopWatch watch = new SessionLoopWatch();
        try {
            server.startServer(new MemoryConfig(props), List.of(watch));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on "
                    + settings.host() + ":" + port + ": " + e.getMessage(), e);
        }
        return new EmbeddedBroker(server, settings.host(), port, watch);
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

    /**
     * Why the broker can no longer serve every client, if that happened: Moquette runs each client's session on one
     * of a few threads, and a thread that fails (its reference-count defect on QoS 1 acknowledgements under load)
     * is not replaced, so the clients it served get no more acknowledgements.
     */
    public Optional<String> fault() {
        return watch.fault();
    }

    @Override
    public void close() {
        server.stopServer();
    }

    /** Hears Moquette's report of a session thread that ended with an error; keeps the first. */
    static final class SessionLoopWatch extends AbstractInterceptHandler {

        private final AtomicReference<Throwable> first = new AtomicReference<>();

        @Override
        public String getID() {
            return "edgeloop-session-loop-watch";
        }

        @Override
        public Class<?>[] getInterceptedMessageTypes() {
            return new Class<?>[] {InterceptExceptionMessage.class};
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            if (first.compareAndSet(null, error)) {
                LOG.error("embedded broker: {}", fault().orElseThrow(), error);
            }
        }

        Optional<String> fault() {
            Throwable error = first.get();
            if (error == null) {
                return Optional.empty();
            }
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Optional.of("a session thread stopped (" + root + "); the clients it served get no more "
                    + "acknowledgements. Restart it, or run the loop against mosquitto");
        }
    }
}

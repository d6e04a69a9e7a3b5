package io.edgeloop.trainer.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The broker addresses the trainer's MQTT clients accept: {@code tcp://}, {@code ssl://}, {@code ws://} or
 * {@code wss://} with a host.
 */
public final class BrokerUri {

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final String ALLOWED = "allowed tcp://host:port, ssl://host:port, ws://host:port or wss://host:port";

    private BrokerUri() {
    }

    /**
     * Returns {@code uri} if it is a broker address.
     *
     * @throws IllegalArgumentException naming the value and the allowed forms
     */
    public static String require(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("broker is missing, " + ALLOWED);
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null || !SCHEMES.contains(parsed.getScheme()) || parsed.getHost() == null) {
                throw new IllegalArgumentException("broker is \"" + uri + "\", " + ALLOWED);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker is \"" + uri + "\" (" + e.getReason() + "), " + ALLOWED, e);
        }
        return uri;
    }
}

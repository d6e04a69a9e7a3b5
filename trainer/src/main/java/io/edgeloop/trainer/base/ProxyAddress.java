package io.edgeloop.trainer.base;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An HTTP proxy to send a download through, with optional Basic credentials.
 *
 * @param host     proxy host
 * @param port     proxy port, 1..65535
 * @param user     user name, if the proxy URL had one
 * @param password password, if the proxy URL had one (never printed: {@link #toString()} masks it)
 */
public record ProxyAddress(String host, int port, Optional<String> user, Optional<String> password) {

    public ProxyAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy host is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port is " + port + ", allowed 1..65535");
        }
        user = user == null ? Optional.empty() : user;
        password = password == null ? Optional.empty() : password;
    }

    /** The address to connect to (resolved when the connection is made). */
    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Whether the proxy needs a user name and password. */
    public boolean authenticates() {
        return user.isPresent();
    }

    @Override
    public String toString() {
        return (user.isPresent() ? user.get() + ":***@" : "") + host + ":" + port;
    }
}

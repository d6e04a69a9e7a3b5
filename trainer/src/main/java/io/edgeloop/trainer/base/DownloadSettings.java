package io.edgeloop.trainer.base;

import java.time.Duration;

/**
 * How a download behaves on the network.
 *
 * @param connectTimeout longest wait for a TCP (and proxy) connection, {@code > 0}
 * @param stallTimeout   longest wait for the response headers or for the next bytes of the body, {@code > 0}: a
 *                       server that stops sending fails the download after this long, keeping the partial file
 * @param proxies        the proxy settings (normally from the environment)
 */
public record DownloadSettings(Duration connectTimeout, Duration stallTimeout, ProxyEnvironment proxies) {

    /** Default connect timeout: 30 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default stall timeout: 60 s without a byte. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public DownloadSettings {
        requirePositive("connect timeout", connectTimeout);
        requirePositive("stall timeout", stallTimeout);
        if (proxies == null) {
            throw new IllegalArgumentException("proxies is missing, allowed ProxyEnvironment.NONE or settings");
        }
    }

    /** Default timeouts with the given proxies. */
    public static DownloadSettings defaults(ProxyEnvironment proxies) {
        return new DownloadSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_STALL_TIMEOUT, proxies);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " is " + d + ", allowed a duration > 0");
        }
    }
}

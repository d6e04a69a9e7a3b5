package io.edgeloop.trainer.base;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy settings of the usual environment variables, as curl and wget read them: {@code https_proxy} (or
 * {@code HTTPS_PROXY}) for https URLs, {@code http_proxy} (or {@code HTTP_PROXY}) for http URLs, the lower-case
 * name winning; a value is {@code [http://][user:password@]host[:port]} (port 80 when absent; user and password
 * percent-decoded). {@code no_proxy} (or {@code NO_PROXY}) is a comma- or space-separated list of hosts that go
 * direct: {@code *} for all, {@code example.com} or {@code .example.com} for the domain and its subdomains, an IP
 * address for itself; a {@code :port} suffix is ignored (CIDR ranges are not understood).
 *
 * @param https   the https proxy value, if set
 * @param http    the http proxy value, if set
 * @param noProxy the hosts that bypass the proxy
 */
public record ProxyEnvironment(Optional<String> https, Optional<String> http, List<String> noProxy) {

    /** No proxy at all. */
    public static final ProxyEnvironment NONE = new ProxyEnvironment(Optional.empty(), Optional.empty(), List.of());

    public ProxyEnvironment {
        https = https == null ? Optional.empty() : https;
        http = http == null ? Optional.empty() : http;
        noProxy = List.copyOf(noProxy);
    }

    /** The settings in {@code environment} (normally {@code System.getenv()}). */
    public static ProxyEnvironment of(Map<String, String> environment) {
        String noProxy = value(environment, "no_proxy").orElse("");
        List<String> hosts = Arrays.stream(noProxy.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        return new ProxyEnvironment(value(environment, "https_proxy"), value(environment, "http_proxy"), hosts);
    }

    /**
     * The proxy for {@code uri}, or empty to connect directly.
     *
     * @throws IllegalArgumentException if the variable that applies is not a usable http proxy URL
     */
    public Optional<ProxyAddress> forUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<String> setting = scheme.equals("https") ? https : scheme.equals("http") ? http : Optional.empty();
        if (setting.isEmpty() || bypasses(uri.getHost())) {
            return Optional.empty();
        }
        return Optional.of(parse(scheme + "_proxy", setting.get()));
    }

    /** Whether {@code host} is listed in {@code no_proxy}. */
    public boolean bypasses(String host) {
        if (host == null) {
            return false;
        }
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String e = stripBrackets(withoutPort(entry));
            if (e.startsWith("*.")) {
                e = e.substring(1);
            }
            String domain = e.startsWith(".") ? e.substring(1) : e;
            if (!domain.isEmpty() && (h.equals(domain) || h.endsWith("." + domain))) {
                return true;
            }
        }
        return false;
    }

    static ProxyAddress parse(String variable, String value) {
        String allowed = ", allowed [http://][user:password@]host[:port]";
        String text = value.trim();
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(variable + " is \"" + masked(text) + "\" (" + e.getReason() + ")"
                    + allowed, e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(variable + " is \"" + masked(text) + "\", a " + uri.getScheme()
                    + " proxy" + allowed + " (the JDK HTTP client speaks to HTTP proxies only)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(variable + " is \"" + masked(text) + "\", no host" + allowed);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            password = Optional.of(colon < 0 ? "" : decode(info.substring(colon + 1)));
        }
        return new ProxyAddress(uri.getHost(), port, user, password);
    }

    private static Optional<String> value(Map<String, String> environment, String lowerName) {
        String v = environment.get(lowerName);
        if (v == null || v.isBlank()) {
            v = environment.get(lowerName.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end < 0 ? entry : entry.substring(0, end + 1);
        }
        int colon = entry.indexOf(':');
        return colon >= 0 && entry.indexOf(':', colon + 1) < 0 ? entry.substring(0, colon) : entry;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The value with any password replaced, for messages. */
    private static String masked(String value) {
        return value.replaceAll("(://[^:@/]*:)[^@/]*@", "$1***@");
    }
}

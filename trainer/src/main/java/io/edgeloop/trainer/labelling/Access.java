package io.edgeloop.trainer.labelling;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Who may use the app. On loopback: anyone on this machine, but only through the loopback host names, so a web page
 * elsewhere cannot reach the app through a rebound DNS name. Off loopback: only requests with the token, sent as
 * {@code Authorization: Bearer <token>}, as the cookie {@value #COOKIE} (set when the printed URL with
 * {@code ?token=} is opened), compared in constant time.
 *
 * @param token        the required token, empty on loopback
 * @param allowedHosts the {@code Host} headers accepted on loopback
 */
record Access(Optional<String> token, Set<String> allowedHosts) {

    /** The cookie that carries the token after the first visit. */
    static final String COOKIE = "edgeloop_label_token";

    /** Loopback access on {@code port}; {@code boundHost} is the bound address as the URL spells it. */
    static Access loopback(int port, String boundHost) {
        Set<String> hosts = new TreeSet<>(Set.of("127.0.0.1", "localhost", "[::1]"));
        hosts.add(boundHost.toLowerCase(Locale.ROOT));
        return new Access(Optional.empty(), hosts.stream().map(h -> h + ":" + port).collect(
                Collectors.toUnmodifiableSet()));
    }

    /** Token access. */
    static Access withToken(String token) {
        return new Access(Optional.of(token), Set.of());
    }

    /** Why {@code exchange} is refused, or empty if it may proceed. */
    Optional<String> refusal(HttpExchange exchange, Optional<String> queryToken) {
        if (token.isEmpty()) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            return host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of("Host " + host + " is not this machine's loopback, allowed " + allowedHosts);
        }
        if (queryToken.isPresent() && matches(queryToken.get())) {
            return Optional.empty();
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ") && matches(authorization.substring(7))) {
            return Optional.empty();
        }
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String c = cookie.strip();
                if (c.startsWith(COOKIE + "=") && matches(c.substring(COOKIE.length() + 1))) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("a token is required (the app is reachable from other machines), allowed the URL with"
                + " ?token=... that 'trainer label serve' printed, or the header Authorization: Bearer <token>");
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.orElseThrow().getBytes(StandardCharsets.UTF_8));
    }
}

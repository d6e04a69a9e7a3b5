package io.edgeloop.agent.source;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Basic (preemptive) and Digest (RFC 7616, MD5 or SHA-256, qop=auth) authentication for camera requests;
 * {@code java.net.http.HttpClient} has no Digest support. Not thread-safe: one per source.
 */
public final class HttpAuth {

    /** Authentication scheme. */
    public enum Scheme { BASIC, DIGEST }

    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");

    private final Scheme scheme;
    private final String username;
    private final char[] password;
    private final SecureRandom random = new SecureRandom();
    private Map<String, String> challenge;
    private int nonceCount;

    public HttpAuth(Scheme scheme, String username, char[] password) {
        this.scheme = scheme;
        this.username = username;
        this.password = password.clone();
    }

    /** Adds the Authorization header if one can be computed (Basic always; Digest after a challenge). */
    public void authorize(HttpRequest.Builder request, String method, URI uri) {
        if (scheme == Scheme.BASIC) {
            String token = Base64.getEncoder().encodeToString(
                    (username + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        } else if (challenge != null) {
            request.header("Authorization", digest(method, uri));
        }
    }

    /**
     * Takes a 401's {@code WWW-Authenticate} header.
     *
     * @return true if the request should be retried with new credentials
     */
    public boolean challenged(String wwwAuthenticate) {
        if (scheme != Scheme.DIGEST || wwwAuthenticate == null
                || !wwwAuthenticate.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(wwwAuthenticate.substring(7));
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        boolean stale = "true".equalsIgnoreCase(params.get("stale"));
        boolean retry = challenge == null || stale || !params.get("nonce").equals(challenge.get("nonce"));
        challenge = params;
        nonceCount = 0;
        return retry;
    }

    private String digest(String method, URI uri) {
        String algorithm = challenge.getOrDefault("algorithm", "MD5");
        String hashName = algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
        String realm = challenge.getOrDefault("realm", "");
        String nonce = challenge.getOrDefault("nonce", "");
        String qop = challenge.get("qop");
        String path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        String ha1 = hash(hashName, username + ":" + realm + ":" + new String(password));
        String ha2 = hash(hashName, method + ":" + path);
        StringBuilder header = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"")
                .append(realm).append("\", nonce=\"").append(nonce).append("\", uri=\"").append(path)
                .append("\", algorithm=").append(algorithm);
        String response;
        if (qop != null && qop.contains("auth")) {
            nonceCount++;
            String nc = String.format("%08x", nonceCount);
            byte[] c = new byte[8];
            random.nextBytes(c);
            String cnonce = HexFormat.of().formatHex(c);
            response = hash(hashName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        } else {
            response = hash(hashName, ha1 + ":" + nonce + ":" + ha2);
        }
        header.append(", response=\"").append(response).append('"');
        if (challenge.containsKey("opaque")) {
            header.append(", opaque=\"").append(challenge.get("opaque")).append('"');
        }
        return header.toString();
    }

    static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}

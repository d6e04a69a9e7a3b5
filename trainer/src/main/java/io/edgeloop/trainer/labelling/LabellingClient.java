package io.edgeloop.trainer.labelling;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program's client of the labelling app's HTTP API, speaking to it as the page does: it lists the examples
 * ({@code GET /api/state}), fetches an example or its image, and answers one with a conditional write
 * ({@code POST /api/examples/{id}/answer} with {@code If-Match} naming the version it last read). A refused write is
 * an {@link Answer} with the app's status and message, never an exception; a read the app refuses, or an app that
 * cannot be reached, is an {@link IOException} naming the URL. Every request is bounded (5 s to connect, 30 s to
 * answer). Given the URL {@code label serve} prints, a {@code ?token=} in it is sent as
 * {@code Authorization: Bearer}.
 */
public final class LabellingClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * One example as the app shows it: what a client needs to decide on an answer and to write it.
     *
     * @param id         example id
     * @param etag       its version, for {@code If-Match}
     * @param predicted  the model's top-1 label, if it gave one
     * @param label      the label given, if any
     * @param discarded  whether it was discarded
     * @param labelledBy who answered, if anyone
     */
    public record Example(String id, String etag, Optional<String> predicted, Optional<String> label,
                         boolean discarded, Optional<String> labelledBy) {

        public Example {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(etag, "etag");
        }

        /** Whether someone labelled or discarded it. */
        public boolean answered() {
            return label.isPresent() || discarded;
        }
    }

    /** The app's reply to a write: the example as written, or a refusal. */
    public sealed interface Answer permits Written, Refused {
    }

    /**
     * The write was stored.
     *
     * @param example the example as it is now (its new version)
     */
    public record Written(Example example) implements Answer {
    }

    /**
     * The app refused the write and stored nothing.
     *
     * @param status  the HTTP status: 400 bad input (such as an unknown label), 409 a stale version, …
     * @param message the app's reason
     * @param current the example as it is now, when the app said (a 409 does)
     */
    public record Refused(int status, String message, Optional<Example> current) implements Answer {
    }

    private final HttpClient http;
    private final URI base;
    private final Optional<String> token;

    private LabellingClient(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
        // HTTP/1.1: the JDK server speaks nothing else, and an h2c upgrade offer on every request costs a round trip.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the app at {@code appUri}, the URL {@code label serve} (or {@link LabellingServer#uri()}) gives.
     *
     * @throws IllegalArgumentException if it is not an {@code http://host:port/} URL
     */
    public static LabellingClient of(URI appUri) {
        Objects.requireNonNull(appUri, "appUri");
        if (!"http".equals(appUri.getScheme()) || appUri.getHost() == null || appUri.getPort() < 0) {
            throw new IllegalArgumentException("the labelling app's URL is " + appUri + ", allowed http://HOST:PORT/"
                    + " as 'trainer label serve' prints it");
        }
        Optional<String> token = Optional.empty();
        String query = appUri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=")) {
                    token = Optional.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
                }
            }
        }
        return new LabellingClient(URI.create("http://" + appUri.getRawAuthority() + "/"), token);
    }

    /** The app's address, without the token. */
    public URI base() {
        return base;
    }

    /** Every example in the inbox, in the app's order (by id). */
    public List<Example> examples() throws IOException, InterruptedException {
        JsonNode state = read("api/state");
        JsonNode examples = state.get("examples");
        if (examples == null || !examples.isArray()) {
            throw new IOException(base.resolve("api/state") + " answered without an examples list");
        }
        List<Example> list = new ArrayList<>();
        for (JsonNode e : examples) {
            list.add(example(e));
        }
        return list;
    }

    /** One example as it is now. */
    public Example example(String id) throws IOException, InterruptedException {
        return example(read(examplePath(id)));
    }

    /** The example's image, as the page shows it (the JPEG the device sent). */
    public byte[] image(Example example) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(request(examplePath(example.id()) + "/image").GET());
        if (r.statusCode() != 200) {
            throw refusedRead(r);
        }
        return r.body();
    }

    /**
     * Labels {@code example} as {@code label}, recorded as given by {@code by}, only if it still has the version
     * {@code example} was read at.
     */
    public Answer answer(Example example, String label, String by) throws IOException, InterruptedException {
        byte[] body = ProtocolJson.writer().writeValueAsBytes(Map.of("label", label, "by", by));
        HttpResponse<byte[]> r = send(request(examplePath(example.id()) + "/answer")
                .header("Content-Type", "application/json")
                .header("If-Match", "\"" + example.etag() + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        JsonNode reply = json(r);
        if (r.statusCode() == 200) {
            return new Written(example(reply.path("example")));
        }
        JsonNode current = reply.get("current");
        return new Refused(r.statusCode(), error(r, reply), current == null ? Optional.empty()
                : Optional.of(example(current)));
    }

    private JsonNode read(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(request(path).GET());
        if (r.statusCode() != 200) {
            throw refusedRead(r);
        }
        return json(r);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("the labelling app at " + request.uri() + " did not answer ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    private static IOException refusedRead(HttpResponse<byte[]> r) {
        String reason;
        try {
            reason = error(r, json(r));
        } catch (IOException e) {
            reason = e.getMessage();
        }
        return new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + reason);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            throw new IOException(r.uri() + " answered " + r.statusCode() + " with " + (type.isEmpty()
                    ? "no Content-Type" : type) + ", expected application/json");
        }
        try {
            return ProtocolJson.parseTree(r.body());
        } catch (IllegalArgumentException e) {
            throw new IOException(r.uri() + " answered " + r.statusCode() + " with malformed JSON: "
                    + e.getMessage(), e);
        }
    }

    private static String error(HttpResponse<byte[]> r, JsonNode reply) {
        JsonNode error = reply.get("error");
        return error != null && error.isTextual() ? error.asText() : "HTTP " + r.statusCode() + " without a reason";
    }

    private static Example example(JsonNode e) throws IOException {
        JsonNode id = e.get("id");
        JsonNode etag = e.get("etag");
        if (id == null || !id.isTextual() || etag == null || !etag.isTextual()) {
            throw new IOException("the labelling app sent an example without id or etag: " + e);
        }
        return new Example(id.asText(), etag.asText(), text(e, "predicted"), text(e, "label"),
                e.path("discarded").asBoolean(false), text(e, "labelledBy"));
    }

    private static Optional<String> text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    private static String examplePath(String id) {
        return "api/examples/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}

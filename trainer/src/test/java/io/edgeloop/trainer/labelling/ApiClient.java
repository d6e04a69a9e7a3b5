package io.edgeloop.trainer.labelling;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A test client of the labelling API: one person's browser, as plain HTTP. */
final class ApiClient {

    /** A reply: status, JSON body (or null), raw body and headers. */
    record Reply(int status, JsonNode json, byte[] body, HttpResponse<byte[]> response) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final Map<String, String> headers;

    ApiClient(URI base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    ApiClient(LabellingServer server) {
        this(URI.create("http://127.0.0.1:" + server.port() + "/"), Map.of());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Reply post(String path, String contentType, String body, Map<String, String> extra)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        extra.forEach(b::header);
        return send(b);
    }

    /** POST /api/examples/{id}/answer with {@code If-Match: etag}. */
    Reply answer(String id, String etag, String json) throws IOException, InterruptedException {
        return post("api/examples/" + enc(id) + "/answer", "application/json", json,
                etag == null ? Map.of() : Map.of("If-Match", "\"" + etag + "\""));
    }

    Reply undo(String id, String etag) throws IOException, InterruptedException {
        return post("api/examples/" + enc(id) + "/undo", null, "", Map.of("If-Match", etag));
    }

    static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        headers.forEach(b::header);
        return b;
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.startsWith("application/json") && r.body().length > 0
                ? ProtocolJson.parseTree(r.body()) : null;
        return new Reply(r.statusCode(), json, r.body(), r);
    }
}

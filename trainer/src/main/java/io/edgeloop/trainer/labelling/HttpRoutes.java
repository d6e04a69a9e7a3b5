package io.edgeloop.trainer.labelling;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.edgeloop.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP surface: checks access, routes, parses and limits input, and turns {@link LabellingApi}'s answers
 * and refusals into responses. Every reply carries headers that keep the page self-contained (a content security
 * policy allowing only this origin) and API replies uncached.
 *
 * <pre>
 * GET  /                              the page (index.html, app.js, app.css from the class path)
 * GET  /api/state                     known labels, progress, every example
 * GET  /api/examples/{id}             one example
 * GET  /api/examples/{id}/image       its JPEG
 * POST /api/examples/{id}/answer      {"label": "..."|"discard": true, "by": "...", "newLabel": false}, If-Match
 * POST /api/examples/{id}/undo        If-Match: the version the answer being undone produced
 * POST /api/export                    {"createFolders": [...]} copies labelled examples into --data
 * GET  /api/csv                       the inbox as CSV
 * POST /api/csv?by=NAME[&amp;newLabel=true][&amp;overwrite=true]   text/csv import, all rows or none
 * </pre>
 */
final class HttpRoutes implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);
    private static final int MAX_JSON = 64 * 1024;
    private static final int MAX_CSV = 16 * 1024 * 1024;
    private static final String CSP = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'";
    private static final Map<String, String> STATIC = Map.of("/", "index.html", "/index.html", "index.html",
            "/app.js", "app.js", "/app.css", "app.css");

    private final LabellingApi api;
    private final Access access;

    HttpRoutes(LabellingApi api, Access access) {
        this.api = api;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (ApiException e) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", e.getMessage());
                body.putAll(e.details());
                json(exchange, e.status(), body);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                json(exchange, 500, Map.of("error", "the server failed: " + e.getMessage()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, ApiException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Optional<String> queryToken = Optional.ofNullable(query.remove("token"));
        Optional<String> refusal = access.refusal(exchange, queryToken);
        if (refusal.isPresent()) {
            throw new ApiException(access.token().isPresent() ? 401 : 403, refusal.get());
        }
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (STATIC.containsKey(path)) {
            requireMethod(method, "GET");
            if (queryToken.isPresent() && access.token().isPresent()) {
                // Trade the token in the URL for a cookie, then show a URL without it.
                exchange.getResponseHeaders().add("Set-Cookie", Access.COOKIE + "=" + queryToken.get()
                        + "; Path=/; HttpOnly; SameSite=Strict");
                exchange.getResponseHeaders().set("Location", path);
                send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            resource(exchange, STATIC.get(path));
            return;
        }
        List<String> parts = segments(path);
        if (parts.size() < 2 || !parts.get(0).equals("api")) {
            throw new ApiException(404, "no page " + path + ", allowed / and the /api/ endpoints");
        }
        String what = parts.get(1);
        if (parts.size() == 2 && what.equals("state")) {
            requireMethod(method, "GET");
            json(exchange, 200, api.state());
        } else if (parts.size() == 2 && what.equals("export")) {
            requireMethod(method, "POST");
            json(exchange, 200, api.export(jsonBody(exchange)));
        } else if (parts.size() == 2 && what.equals("csv")) {
            csv(exchange, method, query);
        } else if (what.equals("examples") && parts.size() == 3) {
            requireMethod(method, "GET");
            json(exchange, 200, api.example(parts.get(2)));
        } else if (what.equals("examples") && parts.size() == 4) {
            example(exchange, method, parts.get(2), parts.get(3));
        } else {
            throw new ApiException(404, "no endpoint " + path + ", allowed /api/state, /api/examples/{id}[/image|"
                    + "/answer|/undo], /api/export, /api/csv");
        }
    }

    private void example(HttpExchange exchange, String method, String id, String action)
            throws IOException, ApiException {
        switch (action) {
            case "image" -> {
                requireMethod(method, "GET");
                Path image = api.image(id);
                exchange.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
                send(exchange, 200, "image/jpeg", Files.readAllBytes(image));
            }
            case "answer" -> {
                requireMethod(method, "POST");
                json(exchange, 200, api.answer(id, ifMatch(exchange), jsonBody(exchange)));
            }
            case "undo" -> {
                requireMethod(method, "POST");
                json(exchange, 200, api.undo(id, ifMatch(exchange)));
            }
            default -> throw new ApiException(404, "no endpoint /api/examples/{id}/" + action + ", allowed image,"
                    + " answer, undo");
        }
    }

    private void csv(HttpExchange exchange, String method, Map<String, String> query)
            throws IOException, ApiException {
        if (method.equals("GET")) {
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"labels.csv\"");
            send(exchange, 200, "text/csv; charset=utf-8", api.csv().getBytes(StandardCharsets.UTF_8));
            return;
        }
        requireMethod(method, "POST");
        for (String name : query.keySet()) {
            if (!Set.of("by", "newLabel", "overwrite").contains(name)) {
                throw new ApiException(400, "query parameter " + name + " is unknown, allowed by, newLabel,"
                        + " overwrite");
            }
        }
        String by = query.get("by");
        if (by == null) {
            throw new ApiException(400, "by is missing, allowed ?by=<your name> (recorded for rows without"
                    + " labelled_by)");
        }
        requireContentType(exchange, "text/csv");
        String text = new String(body(exchange, MAX_CSV), StandardCharsets.UTF_8);
        json(exchange, 200, api.importCsv(text, by, bool(query, "newLabel"), bool(query, "overwrite")));
    }

    private static boolean bool(Map<String, String> query, String name) throws ApiException {
        String v = query.getOrDefault(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new ApiException(400, name + " is \"" + v + "\", allowed true or false");
        }
        return v.equals("true");
    }

    private static Optional<String> ifMatch(HttpExchange exchange) {
        String v = exchange.getRequestHeaders().getFirst("If-Match");
        if (v == null) {
            return Optional.empty();
        }
        v = v.strip();
        return Optional.of(v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1)
                : v);
    }

    private static JsonNode jsonBody(HttpExchange exchange) throws IOException, ApiException {
        requireContentType(exchange, "application/json");
        byte[] bytes = body(exchange, MAX_JSON);
        try {
            return ProtocolJson.parseTree(bytes);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "the body is " + e.getMessage() + ", allowed a JSON object");
        }
    }

    private static void requireContentType(HttpExchange exchange, String type) throws ApiException {
        String given = exchange.getRequestHeaders().getFirst("Content-Type");
        String base = given == null ? "" : given.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals(type)) {
            throw new ApiException(415, "Content-Type is " + (given == null ? "missing" : given) + ", allowed "
                    + type);
        }
    }

    private static byte[] body(HttpExchange exchange, int limit) throws IOException, ApiException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ApiException(413, "the body is larger than " + limit + " bytes, allowed at most " + limit);
            }
            return bytes;
        }
    }

    private static void requireMethod(String method, String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "method " + method + " is not allowed here, allowed " + allowed);
        }
    }

    private static List<String> segments(String rawPath) throws ApiException {
        List<String> parts = new java.util.ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                parts.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "the path " + rawPath + " is not URL-encoded correctly (" + e.getMessage()
                        + ")");
            }
        }
        return parts;
    }

    private static Map<String, String> query(String raw) throws ApiException {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            try {
                String k = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                if (q.put(k, kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "") != null) {
                    throw new ApiException(400, "query parameter " + k + " is given twice, allowed once");
                }
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "the query " + raw + " is not URL-encoded correctly (" + e.getMessage()
                        + ")");
            }
        }
        return q;
    }

    private static void resource(HttpExchange exchange, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = HttpRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the class path");
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : name.endsWith(".css")
                ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        send(exchange, 200, type, bytes);
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "application/json; charset=utf-8", ProtocolJson.writer().writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        boolean empty = bytes.length == 0;
        exchange.sendResponseHeaders(status, empty ? -1 : bytes.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}

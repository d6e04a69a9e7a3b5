package io.edgeloop.trainer.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the files of one directory read-only over HTTP (JDK {@code HttpServer}), so {@code deploy --url} can point
 * devices at a model on the workstation. GET and HEAD only; paths that leave the directory, hidden files and
 * directories are refused with 404. Integrity does not rely on the transport: devices check size, SHA-256 and the
 * Ed25519 signature of what they download.
 */
public final class ModelFileServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFileServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;

    private ModelFileServer(HttpServer server, ExecutorService executor, Path root) {
        this.server = server;
        this.executor = executor;
        this.root = root;
    }

    /**
     * Starts serving {@code dir} on {@code host:port} (port 0 picks a free one).
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory
     * @throws IOException              if the address cannot be bound
     */
    public static ModelFileServer start(Path dir, String host, int port) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " not found, allowed a directory of model files");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port is " + port + ", allowed 0 (any free port) to 65535");
        }
        Path root = dir.toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "model-server");
            t.setDaemon(true);
            return t;
        });
        ModelFileServer files = new ModelFileServer(server, executor, root);
        server.createContext("/", files::handle);
        server.setExecutor(executor);
        server.start();
        return files;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8089/}. */
    public URI baseUri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    /** The URL of a file in the served directory. */
    public URI uriOf(Path file) throws IOException {
        Path rel = root.relativize(file.toRealPath());
        StringBuilder path = new StringBuilder();
        for (Path part : rel) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(java.net.URLEncoder.encode(part.toString(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return baseUri().resolve(path.toString());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Path file = resolve(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
            LOG.info("served {} ({} bytes) to {}", root.relativize(file), size, exchange.getRemoteAddress());
        }
    }

    /** The served file for a request path, or {@code null} if it is outside the root, hidden or not a file. */
    private Path resolve(String requestPath) throws IOException {
        if (requestPath == null || requestPath.contains("\0")) {
            return null;
        }
        Path candidate = root.resolve(requestPath.replaceFirst("^/+", "")).normalize();
        if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
            return null;
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            return null; // a symbolic link pointing out of the directory
        }
        for (Path part : root.relativize(real)) {
            if (part.toString().startsWith(".")) {
                return null;
            }
        }
        return real;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

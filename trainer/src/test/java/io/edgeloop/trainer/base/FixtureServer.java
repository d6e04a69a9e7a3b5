package io.edgeloop.trainer.base;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A loopback HTTP server for download tests: every request goes to the {@link Handler} the test sets, and the
 * requests (path and Range header) are recorded.
 */
public final class FixtureServer implements AutoCloseable {

    /** What the server does with one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange, int requestNumber) throws IOException;
    }

    /** One request as the server saw it. */
    public record Seen(String uri, String range) {
    }

    /** The NCHW 1000-class fixture (trainer/src/test/python/make_base_fixtures.py). */
    public static final Path NCHW = Path.of("src", "test", "resources", "onnx", "base", "imagenet_tiny_nchw_op11.onnx");
    /** The NHWC (tf2onnx-style) 1000-class fixture. */
    public static final Path NHWC = Path.of("src", "test", "resources", "onnx", "base", "imagenet_tiny_nhwc_op11.onnx");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Handler handler;

    public FixtureServer(Handler handler) throws IOException {
        this.handler = handler;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Range")));
            try {
                this.handler.handle(exchange, seen.size());
            } catch (IOException e) {
                // the test handler cut the connection on purpose, or the client went away
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    void handler(Handler newHandler) {
        this.handler = newHandler;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Serves {@code bytes} whole with 200, or the asked range with 206 when {@code honourRange}. */
    public static Handler serving(byte[] bytes, boolean honourRange) {
        return (exchange, n) -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (honourRange && range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                int from = Integer.parseInt(range.substring(6, range.length() - 1));
                exchange.getResponseHeaders().add("Content-Range", String.format(Locale.ROOT, "bytes %d-%d/%d", from,
                        bytes.length - 1, bytes.length));
                exchange.sendResponseHeaders(206, bytes.length - from);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes, from, bytes.length - from);
                }
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** A catalogue with one NCHW-style entry for {@code bytes} at {@code url}. */
    public static String catalogJson(String name, String url, byte[] bytes, String inputName, String layout, int size) {
        return """
                {"schema": 1, "version": "test-1", "bases": [{
                  "name": "%s", "description": "tiny test classifier", "url": "%s",
                  "sizeBytes": %d, "sha256": "%s", "opset": 11,
                  "input": {"name": "%s", "layout": "%s", "size": %d},
                  "preprocessing": {"resize": "SHORTER_SIDE", "resizeSize": %d, "cropSize": %d,
                    "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                    "valueScale": 0.00392156862745098, "colourOrder": "RGB"},
                  "licence": "Apache-2.0", "labels": "imagenet-1k", "source": "make_base_fixtures.py"}]}
                """.formatted(name, url, bytes.length, Sha256.hex(bytes), inputName, layout, size, size * 8 / 7,
                size);
    }

    static BaseEntry entry(String url, byte[] bytes) {
        return BaseCatalog.parse(catalogJson("tiny", url, bytes, "data", "NCHW", 32)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "test").bases().get(0);
    }

    public static byte[] nchwBytes() throws IOException {
        return Files.readAllBytes(NCHW);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

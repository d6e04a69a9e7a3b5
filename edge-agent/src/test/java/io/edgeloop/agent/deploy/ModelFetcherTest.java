package io.edgeloop.agent.deploy;

import io.edgeloop.protocol.digest.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.edgeloop.agent.config.DeployConfig;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching model bytes: inline, file and HTTP, with the scheme allow-list and the size caps. */
class ModelFetcherTest {

    @TempDir
    Path tmp;

    private final byte[] model = bytes(3000);
    private static final String SIG = Base64.getEncoder().encodeToString(new byte[64]);

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(1).nextBytes(b);
        return b;
    }

    private DeployCommand command(String url, long size) {
        return new DeployCommand(Payloads.SCHEMA, "m", "1", Instant.parse("2026-11-28T19:00:00Z"), url,
                url == null ? Base64.getEncoder().encodeToString(model) : null, Sha256.hex(model), size, SIG,
                "0123456789abcdef");
    }

    private ModelFetcher fetcher(long max, String... schemes) {
        return new ModelFetcher(new DeployConfig("keys", max, List.of(schemes), null, null), Duration.ofSeconds(5));
    }

    @Test
    void inlineAndFile() throws Exception {
        assertArrayEquals(model, fetcher(1 << 20).fetch(command(null, model.length)));
        Path file = Files.write(tmp.resolve("m.onnx"), model);
        assertArrayEquals(model, fetcher(1 << 20, "file").fetch(command(file.toUri().toString(), model.length)));
    }

    @Test
    void schemeNotAllowed() {
        Path file = tmp.resolve("m.onnx");
        DeployRejectedException e = assertThrows(DeployRejectedException.class,
                () -> fetcher(1 << 20, "https").fetch(command(file.toUri().toString(), model.length)));
        assertEquals("url scheme file is not allowed (" + file.toUri() + "); allowed: [https]"
                + " (deploy.allowUrlSchemes)", e.getMessage());
    }

    @Test
    void tooLargeForTheDevice() {
        DeployRejectedException e = assertThrows(DeployRejectedException.class,
                () -> fetcher(2048).fetch(command(null, model.length)));
        assertEquals("model is 3000 bytes, allowed at most 2048 (deploy.maxModelBytes)", e.getMessage());
    }

    @Test
    void fileOfAnotherSize() throws Exception {
        Path file = Files.write(tmp.resolve("m.onnx"), model);
        Files.write(file, bytes(2999));
        DeployRejectedException shorter = assertThrows(DeployRejectedException.class,
                () -> fetcher(1 << 20, "file").fetch(command(file.toUri().toString(), model.length)));
        assertEquals("size is 2999 bytes, expected 3000 (file truncated or replaced)", shorter.getMessage());
        Files.write(file, bytes(4000));
        DeployRejectedException longer = assertThrows(DeployRejectedException.class,
                () -> fetcher(1 << 20, "file").fetch(command(file.toUri().toString(), model.length)));
        assertEquals("size is more than 3000 bytes, expected 3000 (file truncated or replaced)",
                longer.getMessage());
    }

    @Test
    void http() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/m.onnx", x -> {
            x.sendResponseHeaders(200, model.length);
            x.getResponseBody().write(model);
            x.close();
        });
        server.createContext("/missing", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertArrayEquals(model, fetcher(1 << 20, "http").fetch(command(base + "/models/m.onnx",
                    model.length)));
            DeployRejectedException e = assertThrows(DeployRejectedException.class,
                    () -> fetcher(1 << 20, "http").fetch(command(base + "/missing", model.length)));
            assertEquals("GET " + base + "/missing returned HTTP 404, expected 200", e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}

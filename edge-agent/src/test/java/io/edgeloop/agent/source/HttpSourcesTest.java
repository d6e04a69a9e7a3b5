package io.edgeloop.agent.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeloop.agent.testing.Images;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP snapshot and MJPEG sources against a local HTTP server. */
class HttpSourcesTest {

    private HttpServer server;
    private String base;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void snapshotWithBasicAuth() throws Exception {
        byte[] jpeg = Images.solid(Color.RED, 64, 48, "jpg");
        String expected = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
        server.createContext("/snap.jpg", ex -> {
            requests.incrementAndGet();
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "text/plain", "no".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, "image/jpeg", jpeg);
        });
        HttpSnapshotSource source = new HttpSnapshotSource("cam", URI.create(base + "/snap.jpg"), 50,
                Duration.ofSeconds(2), new HttpAuth(HttpAuth.Scheme.BASIC, "viewer", "pw".toCharArray()));
        CollectingSink sink = new CollectingSink(3);
        assertThrows(InterruptedException.class, () -> source.stream(sink));
        assertEquals(3, sink.frames.size());
        assertArrayEquals(jpeg, sink.frames.get(0).encoded());
        assertEquals(3, requests.get());
    }

    @Test
    void snapshotWithDigestAuth() throws Exception {
        byte[] png = Images.solid(Color.BLUE, 16, 16, "png");
        String realm = "cam";
        String nonce = "abc123";
        server.createContext("/snap.png", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Digest ")) {
                ex.getResponseHeaders().set("WWW-Authenticate",
                        "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", qop=\"auth\", algorithm=MD5");
                send(ex, 401, "text/plain", new byte[0]);
                return;
            }
            // verify the response like a camera would
            java.util.Map<String, String> p = new java.util.HashMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))")
                    .matcher(auth.substring(7));
            while (m.find()) {
                p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            }
            String ha1 = HttpAuth.hash("MD5", "viewer:" + realm + ":secret");
            String ha2 = HttpAuth.hash("MD5", "GET:" + p.get("uri"));
            String want = HttpAuth.hash("MD5", ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce")
                    + ":auth:" + ha2);
            if (!want.equals(p.get("response")) || !"/snap.png".equals(p.get("uri"))) {
                send(ex, 403, "text/plain", new byte[0]);
                return;
            }
            send(ex, 200, "image/png", png);
        });
        HttpSnapshotSource source = new HttpSnapshotSource("cam", URI.create(base + "/snap.png"), 50,
                Duration.ofSeconds(2), new HttpAuth(HttpAuth.Scheme.DIGEST, "viewer", "secret".toCharArray()));
        CollectingSink sink = new CollectingSink(2);
        assertThrows(InterruptedException.class, () -> source.stream(sink));
        assertEquals(2, sink.frames.size());
        assertArrayEquals(png, sink.frames.get(1).encoded());
    }

    @Test
    void snapshotErrorStatusFailsTheSourceWithTheUrl() {
        server.createContext("/down", ex -> send(ex, 503, "text/plain", "busy".getBytes(StandardCharsets.UTF_8)));
        HttpSnapshotSource source = new HttpSnapshotSource("cam", URI.create(base + "/down"), 10,
                Duration.ofSeconds(2), null);
        IOException e = assertThrows(IOException.class, () -> source.stream(new CollectingSink(1)));
        assertEquals(base + "/down answered HTTP 503, expected 200", e.getMessage());
    }

    private static byte[] mjpegStream(List<byte[]> parts, boolean contentLength) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            String headers = "--frame\r\nContent-Type: image/jpeg\r\n"
                    + (contentLength ? "Content-Length: " + part.length + "\r\n" : "") + "\r\n";
            out.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(part);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @Test
    void mjpegReaderSplitsPartsWithAndWithoutContentLength() throws Exception {
        byte[] a = Images.solid(Color.RED, 32, 32, "jpg");
        byte[] b = Images.solid(Color.GREEN, 32, 32, "jpg");
        // a body containing CR LF and dashes must not confuse the boundary scan
        byte[] c = "x\r\n--fram\r\n--frameless".getBytes(StandardCharsets.ISO_8859_1);
        for (boolean withLength : new boolean[] {true, false}) {
            MjpegReader reader = new MjpegReader(new ByteArrayInputStream(mjpegStream(List.of(a, b, c), withLength)),
                    "frame", 1 << 20);
            assertArrayEquals(a, reader.next());
            assertArrayEquals(b, reader.next());
            if (withLength) {
                assertArrayEquals(c, reader.next());
            }
        }
    }

    @Test
    void mjpegReaderRejectsOversizedParts() {
        byte[] big = new byte[5000];
        MjpegReader reader = new MjpegReader(new ByteArrayInputStream(mjpegStream(List.of(big), true)), "frame",
                1024);
        IOException e = assertThrows(IOException.class, reader::next);
        assertEquals("MJPEG part has Content-Length 5000, allowed 0..1024", e.getMessage());
        MjpegReader noLength = new MjpegReader(new ByteArrayInputStream(mjpegStream(List.of(big), false)), "frame",
                1024);
        e = assertThrows(IOException.class, noLength::next);
        assertEquals("MJPEG part exceeds 1024 bytes without a boundary", e.getMessage());
    }

    @Test
    void boundaryComesFromTheContentType() throws Exception {
        assertEquals("frame", MjpegReader.boundary("multipart/x-mixed-replace; boundary=frame"));
        assertEquals("--myb", MjpegReader.boundary("multipart/x-mixed-replace;boundary=\"--myb\""));
        IOException e = assertThrows(IOException.class, () -> MjpegReader.boundary("image/jpeg"));
        assertEquals("Content-Type is 'image/jpeg', expected multipart/x-mixed-replace", e.getMessage());
    }

    @Test
    void mjpegSourceStreamsFramesAndFailsWhenTheStreamEnds() throws Exception {
        byte[] a = Images.solid(Color.RED, 32, 32, "jpg");
        byte[] b = Images.solid(Color.BLUE, 32, 32, "jpg");
        server.createContext("/video", ex -> {
            byte[] body = mjpegStream(List.of(a, b, a), false);
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
                out.write("--frame--\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        });
        MjpegSource source = new MjpegSource("cam", URI.create(base + "/video"), Duration.ofSeconds(2), null, 1 << 20);
        CollectingSink sink = new CollectingSink(100);
        IOException e = assertThrows(IOException.class, () -> source.stream(sink));
        assertEquals(base + "/video: MJPEG stream ended", e.getMessage());
        assertEquals(3, sink.frames.size());
        assertArrayEquals(b, sink.frames.get(1).encoded());
    }

    @Test
    void aFailingSourceIsRetriedWithBackoffAndCounted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        byte[] jpeg = Images.solid(Color.RED, 16, 16, "jpg");
        server.createContext("/flaky", ex -> {
            // fails twice, then works
            if (calls.incrementAndGet() <= 2) {
                send(ex, 500, "text/plain", "err".getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, 200, "image/jpeg", jpeg);
            }
        });
        FrameSlot slot = new FrameSlot();
        SourceRunner runner = new SourceRunner("cam", new HttpSnapshotSource("cam", URI.create(base + "/flaky"), 20,
                Duration.ofSeconds(2), null), slot, 20, 100, new Random(5));
        runner.start();
        try {
            Frame f = slot.take(5, TimeUnit.SECONDS);
            assertArrayEquals(jpeg, f.encoded());
            assertEquals(2, runner.failures());
            assertTrue(runner.lastError().contains("HTTP 500"), runner.lastError());
        } finally {
            runner.stop(2000);
        }
    }

    @Test
    void aStalledMjpegStreamFailsAfterTheTimeout() throws Exception {
        byte[] a = Images.solid(Color.RED, 32, 32, "jpg");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/stall", ex -> {
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(mjpegStream(List.of(a), true));
                out.flush();
                release.await(10, TimeUnit.SECONDS); // then nothing: the camera hangs with the connection open
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        MjpegSource source = new MjpegSource("cam", URI.create(base + "/stall"), Duration.ofMillis(300), null,
                1 << 20);
        CollectingSink sink = new CollectingSink(100);
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> source.stream(sink));
        release.countDown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(base + "/stall: no MJPEG frame for 300 ms", e.getMessage());
        assertEquals(1, sink.frames.size());
        assertTrue(seconds < 3, "took " + seconds + " s");
    }
}

package io.edgeloop.trainer.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a loopback server: full, cached, resumed, Range ignored, wrong bytes, stall, 404, no host. */
class BaseDownloaderTest {

    @TempDir
    Path dir;

    private byte[] bytes;
    private BaseCache cache;
    private final BaseDownloader downloader = new BaseDownloader(new DownloadSettings(Duration.ofSeconds(5),
            Duration.ofSeconds(20), ProxyEnvironment.NONE));
    /** A short stall bound, so the stall tests are quick; warmed up first so a cold JVM does not trip it. */
    private final BaseDownloader impatient = new BaseDownloader(new DownloadSettings(Duration.ofSeconds(5),
            Duration.ofMillis(400), ProxyEnvironment.NONE));

    @BeforeEach
    void setUp() throws IOException {
        bytes = FixtureServer.nchwBytes();
        cache = new BaseCache(dir.resolve("cache"));
    }

    @Test
    void downloadsVerifiesAndCachesThenACacheHitMakesNoRequest() throws Exception {
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, true))) {
            BaseEntry entry = FixtureServer.entry(server.url("/m/tiny.onnx"), bytes);
            List<Long> progress = new java.util.ArrayList<>();
            DownloadOutcome first = downloader.fetch(entry, cache, new DownloadListener() {
                @Override
                public void progressed(long b) {
                    progress.add(b);
                }
            });
            assertFalse(first.fromCache());
            assertEquals(bytes.length, first.transferred());
            assertEquals(0, first.resumedFrom());
            assertEquals(cache.dir().resolve("tiny-" + entry.sha256().substring(0, 12) + ".onnx"), first.file());
            assertArrayEquals(bytes, Files.readAllBytes(first.file()));
            assertEquals(bytes.length, progress.get(progress.size() - 1));
            assertFalse(Files.exists(cache.partial(entry)));
            assertEquals(1, server.seen().size());
            assertEquals(null, server.seen().get(0).range());

            DownloadOutcome second = downloader.fetch(entry, cache, DownloadListener.NONE);
            assertTrue(second.fromCache());
            assertEquals(first.file(), second.file());
            assertEquals(1, server.seen().size(), "a verified cached file needs no request");
        }
    }

    @Test
    void resumesACutDownloadWithRangeAndVerifies() throws Exception {
        int cut = bytes.length / 3;
        FixtureServer.Handler whole = FixtureServer.serving(bytes, true);
        try (FixtureServer server = new FixtureServer((exchange, n) -> {
            if (n == 1) {
                // announce the whole file, send a third, then drop the connection
                exchange.sendResponseHeaders(200, bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes, 0, cut);
                out.flush();
                throw new IOException("cut on purpose");
            }
            whole.handle(exchange, n);
        })) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> downloader.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.INTERRUPTED, e.kind());
            assertTrue(e.getMessage().startsWith("download of " + entry.url() + " stopped: the connection closed"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("of " + bytes.length + " bytes; the partial file "
                    + cache.partial(entry) + " is kept and the next pull resumes it"), e.getMessage());
            long kept = Files.size(cache.partial(entry));
            assertTrue(kept > 0 && kept <= cut, "kept " + kept);
            assertArrayEquals(Arrays.copyOf(bytes, (int) kept), Files.readAllBytes(cache.partial(entry)));

            DownloadOutcome resumed = downloader.fetch(entry, cache, DownloadListener.NONE);
            assertEquals(kept, resumed.resumedFrom());
            assertEquals(bytes.length - kept, resumed.transferred());
            assertEquals("bytes=" + kept + "-", server.seen().get(1).range());
            assertArrayEquals(bytes, Files.readAllBytes(resumed.file()));
            assertFalse(Files.exists(cache.partial(entry)));
        }
    }

    @Test
    void aServerThatIgnoresRangeRestartsTheFileCleanly() throws Exception {
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, false))) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            Files.createDirectories(cache.dir());
            byte[] stale = new byte[bytes.length / 2];
            Arrays.fill(stale, (byte) 7); // not even the right bytes: a restart must not keep them
            Files.write(cache.partial(entry), stale);

            DownloadOutcome outcome = downloader.fetch(entry, cache, DownloadListener.NONE);
            assertEquals("bytes=" + stale.length + "-", server.seen().get(0).range());
            assertEquals(0, outcome.resumedFrom());
            assertEquals(bytes.length, outcome.transferred());
            assertArrayEquals(bytes, Files.readAllBytes(outcome.file()));
        }
    }

    @Test
    void aRefusedRangeAsksAgainForTheWholeFile() throws Exception {
        FixtureServer.Handler whole = FixtureServer.serving(bytes, false);
        try (FixtureServer server = new FixtureServer((exchange, n) -> {
            if (exchange.getRequestHeaders().getFirst("Range") != null) {
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            whole.handle(exchange, n);
        })) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            Files.createDirectories(cache.dir());
            Files.write(cache.partial(entry), Arrays.copyOf(bytes, 100));
            DownloadOutcome outcome = downloader.fetch(entry, cache, DownloadListener.NONE);
            assertEquals(2, server.seen().size());
            assertEquals(null, server.seen().get(1).range());
            assertArrayEquals(bytes, Files.readAllBytes(outcome.file()));
        }
    }

    @Test
    void wrongBytesAreMovedAsideNamingExpectedAndActualHash() throws Exception {
        byte[] other = bytes.clone();
        other[other.length / 2] ^= 1;
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(other, true))) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> downloader.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.MISMATCH, e.kind());
            assertEquals("downloaded " + entry.url() + " has sha256 " + Sha256.hex(other) + ", expected "
                    + entry.sha256() + ": not the published file; moved it to " + cache.rejected(entry),
                    e.getMessage());
            assertFalse(Files.exists(cache.file(entry)));
            assertFalse(Files.exists(cache.partial(entry)));
            assertArrayEquals(other, Files.readAllBytes(cache.rejected(entry)));
        }
    }

    @Test
    void aWrongSizeFailsBeforeWritingAnything() throws Exception {
        byte[] shorter = Arrays.copyOf(bytes, bytes.length - 10);
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(shorter, true))) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> downloader.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.MISMATCH, e.kind(), e.getMessage());
            assertEquals(entry.url() + " sends " + shorter.length + " bytes, expected " + bytes.length
                    + " (catalogue sizeBytes): not the published file; nothing was kept", e.getMessage());
            assertFalse(Files.exists(cache.partial(entry)));
            assertFalse(Files.exists(cache.file(entry)));
        }
    }

    @Test
    void aLongerBodyWithoutLengthIsCutAtTheExpectedSizeAndRejected() throws Exception {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 5000);
        try (FixtureServer server = new FixtureServer((exchange, n) -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(longer);
            }
        })) {
            byte[] wrongStart = bytes.clone();
            wrongStart[0] ^= 1;
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), wrongStart);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> downloader.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.MISMATCH, e.kind());
            assertEquals(bytes.length, Files.size(cache.rejected(entry)), "never more than the expected size");
        }
    }

    private void warmUp() throws IOException {
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, true))) {
            for (int i = 0; i < 3; i++) {
                impatient.fetch(FixtureServer.entry(server.url("/warm.onnx"), bytes),
                        new BaseCache(dir.resolve("warm" + i)), DownloadListener.NONE);
            }
        }
    }

    @Test
    void aStallingServerFailsWithinTheStallTimeoutAndKeepsThePartialFile() throws Exception {
        warmUp();
        CountDownLatch release = new CountDownLatch(1);
        try (FixtureServer server = new FixtureServer((exchange, n) -> {
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, 1000);
            out.flush();
            try {
                release.await(30, TimeUnit.SECONDS); // stop sending, connection open
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> impatient.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.INTERRUPTED, e.kind());
            assertEquals("download of " + entry.url() + " stopped: no data from 127.0.0.1 for 0.400 s after 1000 of "
                    + bytes.length + " bytes; the partial file " + cache.partial(entry)
                    + " is kept and the next pull resumes it", e.getMessage());
            assertArrayEquals(Arrays.copyOf(bytes, 1000), Files.readAllBytes(cache.partial(entry)));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        warmUp();
        CountDownLatch release = new CountDownLatch(1);
        try (FixtureServer server = new FixtureServer((exchange, n) -> {
            try {
                release.await(30, TimeUnit.SECONDS); // accept, read the request, never answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            BaseEntry entry = FixtureServer.entry(server.url("/tiny.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> impatient.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.INTERRUPTED, e.kind());
            assertEquals("no response from " + entry.url() + " within 0.400 s", e.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void notFoundNamesTheUrl() throws Exception {
        try (FixtureServer server = new FixtureServer((exchange, n) -> exchange.sendResponseHeaders(404, -1))) {
            BaseEntry entry = FixtureServer.entry(server.url("/gone.onnx"), bytes);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> downloader.fetch(entry, cache, DownloadListener.NONE));
            assertEquals(DownloadException.Kind.HTTP_STATUS, e.kind());
            assertEquals("HTTP 404 from " + entry.url() + " (not found: the catalogue's URL is wrong or the file"
                    + " moved)", e.getMessage());
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BaseEntry entry = FixtureServer.entry("http://127.0.0.1:" + port + "/tiny.onnx", bytes);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetch(entry, cache, DownloadListener.NONE));
        assertEquals(DownloadException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1 for " + entry.url()), e.getMessage());
    }

    @Test
    void anUnknownHostSaysDnsFailed() throws Exception {
        BaseEntry entry = FixtureServer.entry("http://edgeloop-test.invalid/tiny.onnx", bytes);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetch(entry, cache, DownloadListener.NONE));
        assertEquals(DownloadException.Kind.UNREACHABLE, e.kind());
        assertEquals("cannot resolve host edgeloop-test.invalid for " + entry.url() + " (no network or DNS)",
                e.getMessage());
    }

    @Test
    void goesThroughTheProxyFromTheEnvironmentUnlessNoProxySaysOtherwise() throws Exception {
        // the loopback server plays the proxy: an absolute-form request for a host that does not exist
        try (FixtureServer proxy = new FixtureServer(FixtureServer.serving(bytes, true))) {
            BaseEntry entry = FixtureServer.entry("http://zoo.edgeloop-test.invalid/m/tiny.onnx", bytes);
            ProxyEnvironment env = ProxyEnvironment.of(java.util.Map.of("http_proxy", "127.0.0.1:" + proxy.port()));
            BaseDownloader viaProxy = new BaseDownloader(new DownloadSettings(Duration.ofSeconds(5),
                    Duration.ofSeconds(5), env));
            DownloadOutcome outcome = viaProxy.fetch(entry, cache, DownloadListener.NONE);
            assertArrayEquals(bytes, Files.readAllBytes(outcome.file()));
            assertEquals("http://zoo.edgeloop-test.invalid/m/tiny.onnx", proxy.seen().get(0).uri());

            ProxyEnvironment bypass = ProxyEnvironment.of(java.util.Map.of("http_proxy", "127.0.0.1:" + proxy.port(),
                    "no_proxy", ".edgeloop-test.invalid"));
            BaseDownloader direct = new BaseDownloader(new DownloadSettings(Duration.ofSeconds(5),
                    Duration.ofSeconds(5), bypass));
            DownloadException e = assertThrows(DownloadException.class,
                    () -> direct.fetch(entry, new BaseCache(dir.resolve("other")), DownloadListener.NONE));
            assertEquals(DownloadException.Kind.UNREACHABLE, e.kind());
            assertEquals(1, proxy.seen().size(), "no_proxy sends the request direct, not to the proxy");
        }
    }

    @Test
    void aProxyThatAsksForCredentialsGetsThoseOfTheProxyUrl() throws Exception {
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("ann:s3cr:t"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        FixtureServer.Handler files = FixtureServer.serving(bytes, true);
        try (FixtureServer proxy = new FixtureServer((exchange, n) -> {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Proxy-Authorization"))) {
                exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"test\"");
                exchange.sendResponseHeaders(407, -1);
                return;
            }
            files.handle(exchange, n);
        })) {
            BaseEntry entry = FixtureServer.entry("http://zoo.edgeloop-test.invalid/tiny.onnx", bytes);
            ProxyEnvironment env = ProxyEnvironment.of(java.util.Map.of("http_proxy",
                    "http://ann:s3cr%3At@127.0.0.1:" + proxy.port()));
            DownloadOutcome outcome = new BaseDownloader(new DownloadSettings(Duration.ofSeconds(5),
                    Duration.ofSeconds(5), env)).fetch(entry, cache, DownloadListener.NONE);
            assertArrayEquals(bytes, Files.readAllBytes(outcome.file()));
            assertEquals(2, proxy.seen().size(), "challenged once, then answered with the credentials");
        }
    }
}

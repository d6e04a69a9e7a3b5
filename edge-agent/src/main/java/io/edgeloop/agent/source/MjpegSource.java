package io.edgeloop.agent.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a camera's multipart MJPEG HTTP stream (latest frame wins). The end of the stream, an error status or a
 * malformed part fails the source; the runner reconnects with backoff.
 */
public final class MjpegSource implements FrameSource {

    private final String cameraId;
    private final URI uri;
    private final Duration timeout;
    private final HttpAuth auth;
    private final int maxFrameBytes;
    private final HttpClient client;
    private volatile InputStream current;
    private volatile long lastProgress;
    private volatile boolean stalled;

    /** @param auth credentials or null */
    public MjpegSource(String cameraId, URI uri, Duration timeout, HttpAuth auth, int maxFrameBytes) {
        this.cameraId = cameraId;
        this.uri = uri;
        this.timeout = timeout;
        this.auth = auth;
        this.maxFrameBytes = maxFrameBytes;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = open();
        String boundary = MjpegReader.boundary(response.headers().firstValue("Content-Type").orElse(null));
        Thread watchdog = null;
        try (InputStream in = response.body()) {
            current = in;
            lastProgress = System.nanoTime();
            stalled = false;
            // a camera that keeps the connection open but stops sending would block the read forever
            watchdog = new Thread(() -> watch(in), "mjpeg-watchdog-" + cameraId);
            watchdog.setDaemon(true);
            watchdog.start();
            MjpegReader reader = new MjpegReader(in, boundary, maxFrameBytes);
            long n = 0;
            byte[] part;
            try {
                while ((part = reader.next()) != null) {
                    lastProgress = System.nanoTime();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    sink.offerLatest(Frame.encoded(cameraId, part, "mjpeg#" + n++, null));
                }
            } catch (IOException e) {
                if (stalled) {
                    throw new IOException(uri + ": no MJPEG frame for " + timeout.toMillis() + " ms", e);
                }
                throw e;
            }
            throw new EOFException(uri + ": MJPEG stream ended");
        } finally {
            current = null;
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    private HttpResponse<InputStream> open() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            if (auth != null) {
                auth.authorize(request, "GET", uri);
            }
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 401 && auth != null && attempt == 0
                    && auth.challenged(response.headers().firstValue("WWW-Authenticate").orElse(null))) {
                response.body().close();
                continue;
            }
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException(uri + " answered HTTP " + response.statusCode() + ", expected 200");
            }
            return response;
        }
        throw new IOException(uri + " refused the credentials (HTTP 401)");
    }

    private void watch(InputStream in) {
        long timeoutNanos = timeout.toNanos();
        try {
            while (current == in) {
                Thread.sleep(Math.max(10, timeout.toMillis() / 4));
                if (System.nanoTime() - lastProgress > timeoutNanos && current == in) {
                    stalled = true;
                    in.close();
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            // the stream ended normally, or closing it failed: either way the reader is released
        }
    }

    @Override
    public String describe() {
        return "mjpeg " + uri;
    }

    @Override
    public void close() {
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing to abort a blocked read; nothing else to do
            }
        }
    }
}

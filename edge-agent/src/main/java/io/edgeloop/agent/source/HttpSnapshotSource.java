package io.edgeloop.agent.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Polls a camera's still-image URL at a frame rate (latest frame wins). Non-200 answers and timeouts fail the
 * source (the runner retries with backoff); Basic and Digest authentication are supported.
 */
public final class HttpSnapshotSource implements FrameSource {

    private final String cameraId;
    private final URI uri;
    private final double fps;
    private final Duration timeout;
    private final HttpAuth auth;
    private final HttpClient client;

    /** @param auth credentials or null */
    public HttpSnapshotSource(String cameraId, URI uri, double fps, Duration timeout, HttpAuth auth) {
        this.cameraId = cameraId;
        this.uri = uri;
        this.fps = fps;
        this.timeout = timeout;
        this.auth = auth;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        Pacer pacer = new Pacer(fps);
        long n = 0;
        while (true) {
            pacer.await();
            byte[] body = fetch();
            sink.offerLatest(Frame.encoded(cameraId, body, uri.getPath() + "#" + n++, null));
        }
    }

    private byte[] fetch() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (auth != null) {
                auth.authorize(request, "GET", uri);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401 && auth != null && attempt == 0
                    && auth.challenged(response.headers().firstValue("WWW-Authenticate").orElse(null))) {
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode() + ", expected 200");
            }
            return response.body();
        }
        throw new IOException(uri + " refused the credentials (HTTP 401)");
    }

    @Override
    public String describe() {
        return "http-snapshot " + uri + " at " + fps + " fps";
    }

    @Override
    public void close() {
        // HttpClient.send is interruptible; the client's threads are daemon and released with it
    }
}

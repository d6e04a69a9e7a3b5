package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.mqtt.DeployCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Before a URL deploy is published, downloads the URL once and checks that it serves exactly the signed file (size
 * and SHA-256), so a typo, a stale copy or a server that is not running is caught on the workstation instead of as
 * a fleet of {@code rejected} devices.
 */
public final class UrlCheck {

    private UrlCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the URL and what it served instead
     * @throws IOException              if the URL cannot be fetched
     */
    public static void check(DeployCommand command, Duration timeout) throws IOException, InterruptedException {
        URI uri = URI.create(command.url());
        byte[] body;
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            body = Files.readAllBytes(Path.of(uri));
        } else {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("--url " + uri + " answers HTTP " + response.statusCode()
                        + ", allowed 200 with the model file (or use --no-check-url)");
            }
            body = response.body();
        }
        String sha = Sha256.hex(body);
        if (body.length != command.sizeBytes() || !sha.equals(command.sha256())) {
            throw new IllegalArgumentException("--url " + uri + " serves " + body.length + " bytes with sha256 " + sha
                    + ", allowed the model being deployed (" + command.sizeBytes() + " bytes, sha256 "
                    + command.sha256() + ")");
        }
    }
}

package io.edgeloop.agent.deploy;

import io.edgeloop.agent.config.DeployConfig;
import io.edgeloop.protocol.mqtt.DeployCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Gets a deploy command's model bytes: inline (base64), or from its URL when the scheme is allowed by
 * {@code deploy.allowUrlSchemes} ({@code https}/{@code http} with {@link HttpClient}, {@code file}). Never reads more
 * than the command's {@code sizeBytes} (plus one byte to notice a longer file) and never more than
 * {@code deploy.maxModelBytes}. The bytes are not trusted here: the caller verifies them.
 */
public final class ModelFetcher {

    private final DeployConfig config;
    private final HttpClient http;
    private final Duration timeout;

    public ModelFetcher(DeployConfig config, Duration timeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The model file's bytes.
     *
     * @throws DeployRejectedException naming the limit, the scheme or the transfer problem
     */
    public byte[] fetch(DeployCommand command) throws DeployRejectedException, InterruptedException {
        if (command.sizeBytes() > config.maxModelBytes()) {
            throw new DeployRejectedException("model is " + command.sizeBytes() + " bytes, allowed at most "
                    + config.maxModelBytes() + " (deploy.maxModelBytes)");
        }
        if (command.inline() != null) {
            return Base64.getDecoder().decode(command.inline());
        }
        URI uri = URI.create(command.url());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!config.allowUrlSchemes().contains(scheme)) {
            throw new DeployRejectedException("url scheme " + scheme + " is not allowed (" + command.url()
                    + "); allowed: " + config.allowUrlSchemes() + " (deploy.allowUrlSchemes)");
        }
        try {
            if (scheme.equals("file")) {
                Path file = Path.of(uri);
                if (!Files.isRegularFile(file)) {
                    throw new DeployRejectedException("model file " + file + " not found");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return readCapped(in, command);
                }
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DeployRejectedException("GET " + command.url() + " returned HTTP "
                            + response.statusCode() + ", expected 200");
                }
                return readCapped(in, command);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployRejectedException("cannot download " + command.url() + " (" + e + ")", e);
        }
    }

    private static byte[] readCapped(InputStream in, DeployCommand command) throws IOException,
            DeployRejectedException {
        int size = (int) command.sizeBytes();
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new DeployRejectedException("size is " + bytes.length + " bytes, expected " + size
                    + " (file truncated or replaced)");
        }
        if (in.read() >= 0) {
            throw new DeployRejectedException("size is more than " + size + " bytes, expected " + size
                    + " (file truncated or replaced)");
        }
        return bytes;
    }
}

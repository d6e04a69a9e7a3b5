package io.edgeloop.trainer.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.protocol.signing.TrustStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileServerTest {

    @TempDir
    Path dir;

    @Test
    void servesModelsForUrlDeploysAndNothingOutsideTheDirectory() throws Exception {
        Path models = dir.resolve("models");
        Path model = TestModels.write(models.resolve("fashion/7/model.onnx"), "7").file();
        Files.writeString(dir.resolve("secret.txt"), "no");
        Files.writeString(models.resolve(".hidden"), "no");
        KeyPair keys = TestModels.keys(9);
        HttpClient http = HttpClient.newHttpClient();
        try (ModelFileServer server = ModelFileServer.start(models, "127.0.0.1", 0)) {
            URI url = server.uriOf(model);
            assertEquals(server.baseUri().resolve("fashion/7/model.onnx"), url);
            DeployCommand command = SignedDeployment.create(model, new ModelSigner(keys.getPrivate()),
                    url.toString(), Instant.parse("2026-11-28T19:00:00Z"));
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(command.url())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, got.statusCode());
            assertArrayEquals(Files.readAllBytes(model), got.body());
            // What a device downloads verifies against the command.
            TrustStore.of(List.of(keys.getPublic())).verify(got.body(), ModelSignature.of(command));

            for (String path : List.of("../secret.txt", "%2e%2e/secret.txt", ".hidden", "fashion", "nope.onnx")) {
                HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(404, refused.statusCode(), path);
            }
            HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(405, post.statusCode());
        }
    }
}

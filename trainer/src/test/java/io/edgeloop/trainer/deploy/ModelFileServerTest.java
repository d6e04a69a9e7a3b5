package io.edgeloop.trainer.deploy;

import io.edgeloop.trainer.cli.DeployModelCommand;
import io.edgeloop.trainer.cli.CommandLines;

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
            // deploy --url checks the URL serves this very model before publishing.
            Path other = TestModels.write(models.resolve("fashion/8/model.onnx"), "8").file();
            Path key = TestModels.privateKeyFile(dir, keys);
            java.io.StringWriter err = new java.io.StringWriter();
            assertEquals(2, CommandLines.execute(new DeployModelCommand(),
                    new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err), "--model",
                    other.toString(), "--key", key.toString(), "--broker", "tcp://127.0.0.1:1", "--device", "gate-01",
                    "--url", url.toString()));
            org.junit.jupiter.api.Assertions.assertTrue(err.toString().startsWith("trainer deploy: --url " + url
                    + " serves " + Files.size(model) + " bytes with sha256 "), err.toString());
            java.io.StringWriter err2 = new java.io.StringWriter();
            assertEquals(2, CommandLines.execute(new DeployModelCommand(),
                    new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err2), "--model",
                    other.toString(), "--key", key.toString(), "--broker", "tcp://127.0.0.1:1", "--device", "gate-01",
                    "--url", server.baseUri().resolve("missing.onnx").toString()));
            assertEquals("trainer deploy: --url " + server.baseUri().resolve("missing.onnx") + " answers HTTP 404,"
                    + " allowed 200 with the model file (or use --no-check-url)\n", err2.toString());
            // The right URL passes the check and fails only at the (absent) broker.
            java.io.StringWriter err3 = new java.io.StringWriter();
            assertEquals(1, CommandLines.execute(new DeployModelCommand(),
                    new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err3), "--model",
                    other.toString(), "--key", key.toString(), "--broker", "tcp://127.0.0.1:1", "--device", "gate-01",
                    "--url", server.uriOf(other).toString()));
            org.junit.jupiter.api.Assertions.assertTrue(err3.toString().startsWith("trainer deploy: broker"),
                    err3.toString());

            HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void serveModelsNamesAMissingDirectoryAndATakenPort() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        Path none = dir.resolve("none");
        assertEquals(2, io.edgeloop.trainer.cli.TrainerMain.execute(new String[] {"serve-models", "--dir",
            none.toString(), "--port", "0"}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), io.edgeloop.trainer.job.TrainerServices.defaults()));
        assertEquals("trainer serve-models: --dir " + none + " not found, allowed a directory of model files\n",
                err.toString());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.StringWriter err2 = new java.io.StringWriter();
            assertEquals(1, io.edgeloop.trainer.cli.TrainerMain.execute(new String[] {"serve-models", "--dir",
                dir.toString(), "--port", "" + taken.getLocalPort(), "--duration", "1"},
                    new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err2),
                    io.edgeloop.trainer.job.TrainerServices.defaults()));
            assertEquals("trainer serve-models: cannot serve on 127.0.0.1:" + taken.getLocalPort() + " (Address"
                    + " already in use); choose another --port or --host\n", err2.toString());
        }
    }
}

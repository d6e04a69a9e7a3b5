package io.edgeloop.agent.cli;

import static io.edgeloop.agent.cli.AgentRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.testing.Mosquitto;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent runs an int8 package written by {@code trainer quantize} unchanged: {@code check} passes on it, and
 * {@code run} loads it through the normal package loading and classifies real images through the normal pipeline.
 * The fixture is the committed Fashion-MNIST target model quantised by scripts/make-quantize-fixtures.sh.
 */
class Int8PackageTest {

    static final Path INT8 = Path.of("src", "test", "resources", "quantize", "fashion-target-int8.onnx")
            .toAbsolutePath();
    static final Path TEST_IMAGES = Path.of("..", "data", "fashion-mnist-target", "test").toAbsolutePath()
            .normalize();
    static final Path PROFILES = Path.of("..", "devices", "profiles").toAbsolutePath().normalize();
    static final List<String> LABELS = List.of("ankle-boot", "bag", "sandal", "sneaker");

    @TempDir
    Path tmp;


    @Test
    void theFixtureIsAnInt8PackageWithItsAccuracies() throws Exception {
        ModelPackage pkg = ModelPackage.read(INT8);
        assertEquals("1-int8", pkg.card().version());
        assertEquals(LABELS, pkg.card().labels());
        assertEquals("int8-qdq", pkg.card().quantization().scheme());
        long qdq = pkg.model().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("DequantizeLinear")).count();
        assertTrue(qdq >= 10, "expected a QDQ graph, found " + qdq + " DequantizeLinear nodes");
        assertTrue(pkg.model().getGraph().getInitializerList().stream().anyMatch(t -> t.getDataType() == 3),
                "no int8 weights");
    }

    @Test
    void checkPassesAndRunClassifiesRealImages() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.uri(), "int8-watch", "edgeloop/generic-1/+/events")) {
            Path site = Files.createDirectories(tmp.resolve("edgeloop"));
            Path cfg = Files.copy(PROFILES.resolve("generic.yaml"), site.resolve("agent.yaml"));
            AgentRun check = run("check", "--config", cfg.toString(), "--model", INT8.toString(), "--broker",
                    broker.uri());
            assertEquals(0, check.code(), check.out() + check.err());
            assertTrue(check.out().contains("model    ok    " + INT8 + " (fashion-target 1-int8, 4 labels, input"
                    + " input 28x28); one inference on a grey frame: "), check.out());

            Path log = tmp.resolve("agent.log");
            Process agent = AgentRun.start(log, "run", "--config", cfg.toString(), "--model", INT8.toString(),
                    "--broker", broker.uri());
            try {
                Path inbox = site.resolve("inbox");
                long deadline = System.currentTimeMillis() + 30_000;
                while (!Files.isDirectory(inbox) && agent.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(Files.isDirectory(inbox), "no inbox created: " + Files.readString(log));
                ObjectMapper json = new ObjectMapper();
                List<String> seen = new ArrayList<>();
                int right = 0;
                for (String label : LABELS) {
                    File[] files = TEST_IMAGES.resolve(label).toFile().listFiles();
                    Arrays.sort(files);
                    for (int i = 0; i < 5; i++) {
                        String name = label + "-" + i + ".png";
                        // upload under a hidden name, then rename, as the folder source expects of writers
                        Path upload = Files.copy(files[i].toPath(), inbox.resolve("." + name));
                        Files.move(upload, inbox.resolve(name));
                        List<Subscriber.Received> events = sub.await("/events", 1, 30_000);
                        assertEquals(1, events.size(), "no event for " + name + ": " + Files.readString(log));
                        JsonNode event = json.readTree(events.get(0).payload());
                        assertEquals("fashion-target", event.get("model").get("name").asText());
                        assertEquals("1-int8", event.get("model").get("version").asText());
                        assertTrue(LABELS.contains(event.get("label").asText()), event.toString());
                        seen.add(label + " -> " + event.get("label").asText());
                        right += event.get("label").asText().equals(label) ? 1 : 0;
                    }
                }
                // the package is 93 % accurate on these classes; 20 images leave room for a few mistakes
                assertTrue(right >= 16, right + " of 20 right: " + seen);
                agent.destroy();
                assertTrue(agent.waitFor(15, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}

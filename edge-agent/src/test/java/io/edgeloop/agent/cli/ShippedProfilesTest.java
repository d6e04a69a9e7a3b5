package io.edgeloop.agent.cli;

import static io.edgeloop.agent.cli.AgentRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.testing.Mosquitto;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device profiles as a new user meets them: the "start here" profile copied into a folder of its own, as its
 * header and devices/README.md say, passes {@code check} and runs; for every shipped profile, {@code check} fails
 * wherever {@code run} refuses to start.
 */
class ShippedProfilesTest {

    static final Path PROFILES = Path.of("..", "devices", "profiles").toAbsolutePath().normalize();
    /** The committed base model (a complete model package). */
    static final Path BASE_MODEL = Path.of("..", "models", "base", "model.onnx").toAbsolutePath().normalize();

    @TempDir
    Path tmp;


    /** {@code cp devices/profiles/generic.yaml ~/edgeloop/agent.yaml}, with a fresh folder for ~/edgeloop. */
    private Path copyGeneric() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("edgeloop"));
        return Files.copy(PROFILES.resolve("generic.yaml"), site.resolve("agent.yaml"));
    }

    @Test
    void theGenericProfileCopiedIntoAFolderPassesCheck() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Path cfg = copyGeneric();
            Path site = cfg.getParent();
            AgentRun r = run("check", "--config", cfg.toString(), "--model", BASE_MODEL.toString(), "--broker",
                    broker.uri());
            assertEquals(0, r.code(), r.out() + r.err());
            assertEquals("", r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals("config   ok    " + cfg + " (device generic-1, 1 camera(s))", lines.get(0));
            assertEquals("camera   ok    cam1: folder " + site.resolve("inbox") + " (does not exist yet, run creates "
                    + "it)", lines.get(1));
            assertEquals("deploy   warn  every deploy command will be rejected: no trusted keys: deploy.trustedKeys "
                    + site.resolve("trusted-keys") + " does not exist; put the public key from 'trainer keys "
                    + "generate' (NAME.pub.pem) there", lines.get(2));
            assertEquals("state    ok    spool " + site.resolve("state/spool") + " (created at start)", lines.get(3));
            assertTrue(lines.get(4).startsWith("model    ok    " + BASE_MODEL + " (edgeloop-fmnist-base 1, 6 labels,"
                    + " input input 28x28); one inference on a grey frame: "), lines.get(4));
            assertEquals("broker   ok    connected to " + broker.uri() + " as edgeloop-generic-1-check", lines.get(5));
            assertEquals("verdict  ok (1 warning)", lines.get(6));
            // check only looks: the folder holds the copied profile and nothing else
            try (Stream<Path> files = Files.list(site)) {
                assertEquals(List.of(cfg), files.toList());
            }
        }
    }

    @Test
    void theGenericProfileCopiedIntoAFolderRunsAndClassifiesWhatArrivesInItsInbox() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "generic-watch", "edgeloop/generic-1/+/events")) {
            Path cfg = copyGeneric();
            Path site = cfg.getParent();
            Path log = tmp.resolve("agent.log");
            Process agent = AgentRun.start(log, "run", "--config", cfg.toString(), "--model", BASE_MODEL.toString(),
                    "--broker", broker.uri());
            try {
                Path inbox = site.resolve("inbox");
                long deadline = System.currentTimeMillis() + 20_000;
                while (!Files.isDirectory(inbox) && agent.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(Files.isDirectory(inbox), "no inbox created: " + Files.readString(log));
                // upload under a hidden name, then rename, as the folder source expects of writers
                Path upload = Images.write(inbox.resolve(".upload.png"), Color.LIGHT_GRAY, "png");
                Files.move(upload, inbox.resolve("shirt.png"));
                List<Subscriber.Received> events = sub.await("/events", 1, 20_000);
                assertEquals(1, events.size(), Files.readString(log));
                assertEquals("edgeloop/generic-1/cam1/events", events.get(0).topic());
                JsonNode event = new ObjectMapper().readTree(events.get(0).payload());
                assertEquals("edgeloop-fmnist-base", event.get("model").get("name").asText());
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(BASE_MODEL))), event.get("model").get("sha256").asText());
                assertTrue(List.of("coat", "dress", "pullover", "shirt", "t-shirt-top", "trouser")
                        .contains(event.get("label").asText()), event.toString());
                deadline = System.currentTimeMillis() + 5_000;
                while (!Files.exists(site.resolve("processed/shirt.png")) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(site.resolve("processed/shirt.png")), "not moved to processed/");
                String text = Files.readString(log);
                assertTrue(text.contains("deploy: every deploy command will be rejected: no trusted keys"), text);
                agent.destroy(); // SIGTERM
                assertTrue(agent.waitFor(15, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
                assertTrue(Files.readString(log).contains("agent generic-1 stopped"), Files.readString(log));
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    static List<Path> profiles() throws IOException {
        try (Stream<Path> files = Files.list(PROFILES)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(list.size() >= 5, "expected the five board profiles in " + PROFILES);
            return list;
        }
    }

    /**
     * Whatever this machine lacks for a profile (its model, CA file, password, camera), {@code run} refuses to
     * start here and {@code check} must fail too, never say ok.
     */
    @ParameterizedTest
    @MethodSource("profiles")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void checkFailsWhereverRunRefusesToStart(Path profile) {
        AgentRun run = run("run", "--config", profile.toString());
        assertNotEquals(0, run.code(), "run started with " + profile + " on this machine: " + run.err());
        assertTrue(run.err().startsWith("edge-agent run: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        AgentRun check = run("check", "--config", profile.toString());
        assertNotEquals(0, check.code(), "check passed " + profile + " while run said: " + run.err() + "\n"
                + check.out());
        assertTrue(check.out().contains("FAIL"), check.out());
        System.out.println(profile.getFileName() + ": run " + run.err().strip() + "; check " + check.err().strip());
    }
}

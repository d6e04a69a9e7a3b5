package io.edgeloop.agent.cli;

import static io.edgeloop.agent.cli.AgentRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The real command line: exit codes, stdout verdicts, stderr reasons, SIGTERM handling. */
class AgentMainTest {

    @TempDir
    Path tmp;


    private Path config(String broker, String extra) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("colour.onnx"), false);
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("red/1.png"), Color.RED, "png");
        Images.write(frames.resolve("blue/1.png"), Color.BLUE, "png");
        String yaml = """
                deviceId: dev7
                stateDir: %s
                model:
                  path: %s
                  labels: [red, green, blue]
                  preprocess: {resize: exact, resizeSize: 32, cropSize: 32, mean: [0, 0, 0], std: [1, 1, 1],
                               valueScale: 0.00392156862745098, colourOrder: rgb}
                cameras:
                  - id: cam1
                    source: {type: replay, path: %s, fps: 0}
                mqtt:
                  broker: %s
                  username: agent
                  passwordEnv: EDGE_MQTT_PASSWORD
                  connectTimeoutSeconds: 2
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 300
                shutdownTimeoutSeconds: 5
                """.formatted(tmp.resolve("state"), onnx, frames, broker) + extra;
        return Files.writeString(tmp.resolve("agent.yaml"), yaml);
    }

    @Test
    void checkPassesAgainstARealBroker() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Path cfg = config(broker.uri(), "");
            AgentRun r = run(Map.of("EDGE_MQTT_PASSWORD", "not-logged-anywhere"), "check", "--config", cfg.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals("config   ok    " + cfg + " (device dev7, 1 camera(s))", lines.get(0));
            assertEquals("camera   ok    cam1: replay " + tmp.resolve("frames") + " (2 images)", lines.get(1));
            assertEquals("state    ok    spool " + tmp.resolve("state/spool") + " (created at start)", lines.get(2));
            assertTrue(lines.get(3).startsWith("model    ok    " + tmp.resolve("colour.onnx") + " (colour sha256-"),
                    lines.get(3));
            assertTrue(lines.get(3).contains("3 labels, input input 32x32); one inference on a grey frame: red 0.333"),
                    lines.get(3));
            assertEquals("broker   ok    connected to " + broker.uri() + " as edgeloop-dev7-check", lines.get(4));
            assertEquals("verdict  ok", lines.get(5));
            assertEquals(6, lines.size());
            assertEquals("", r.err());
            assertTrue(!r.out().contains("not-logged-anywhere") && !r.err().contains("not-logged-anywhere"));
        }
    }

    @Test
    void checkFailsWithExit1WhenTheBrokerIsDown() throws Exception {
        Mosquitto.assumeInstalled();
        String uri = "tcp://127.0.0.1:" + Mosquitto.freePort();
        AgentRun r = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "check", "--config", config(uri, "").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("broker   FAIL  " + uri + ": "), r.out());
        assertTrue(r.out().endsWith("verdict  FAIL\n"), r.out());
        assertEquals("edge-agent check: failed: broker\n", r.err());
    }

    @Test
    void aMissingReplayFolderFailsCheckWith1AndRunRefusesWith2() throws Exception {
        Path missing = tmp.resolve("no-such-frames");
        Path cfg = config("tcp://127.0.0.1:1", "").resolveSibling("missing.yaml");
        Files.writeString(cfg, Files.readString(tmp.resolve("agent.yaml")).replace("path: " + tmp.resolve("frames"),
                "path: " + missing));
        String problem = "cameras[0].source.path is '" + missing + "': no such directory, allowed a directory of "
                + "images or an ImageFolder tree";
        AgentRun check = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "check", "--config", cfg.toString());
        assertEquals(1, check.code(), check.out() + check.err());
        assertEquals("camera   FAIL  cam1: " + problem, check.out().lines().toList().get(1));
        assertTrue(check.out().endsWith("verdict  FAIL\n"), check.out());
        assertEquals("edge-agent check: failed: camera cam1, broker\n", check.err());
        AgentRun run = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "run", "--config", cfg.toString());
        assertEquals(2, run.code(), run.err());
        assertEquals("edge-agent run: " + problem + "\n", run.err());
        // the same folder named on the command line
        AgentRun option = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "run", "--config", cfg.toString(), "--source",
                "replay:" + missing);
        assertEquals(2, option.code(), option.err());
        assertEquals("edge-agent run: --source is '" + missing + "': no such directory, allowed a directory of "
                + "images or an ImageFolder tree\n", option.err());
    }

    @Test
    void checkReportsEveryUnusableSourceAndTheModelThatDoesNotFit() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path emptyDir = Files.createDirectories(tmp.resolve("empty"));
        Path cfg = config("tcp://127.0.0.1:1", """
                inference:
                  classThresholds: {purple: 0.5}
                """);
        String yaml = Files.readString(cfg).replace("""
                cameras:
                  - id: cam1
                    source: {type: replay, path: %s, fps: 0}
                """.formatted(tmp.resolve("frames")), """
                cameras:
                  - id: empty
                    source: {type: replay, path: %s}
                  - id: file
                    source: {type: folder, path: %s}
                  - id: rtsp
                    source: {type: ffmpeg, input: "rtps://10.0.0.5/stream"}
                  - id: noffmpeg
                    source: {type: ffmpeg, input: /dev/video0, executable: %s}
                  - id: snap
                    source: {type: http-snapshot, url: "http://10.0.0.6/snap.jpg",
                             auth: {username: viewer, passwordEnv: CAMERA_PASSWORD}}
                """.formatted(emptyDir, file, tmp.resolve("bin/ffmpeg")));
        Files.writeString(cfg, yaml);
        AgentRun r = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "check", "--config", cfg.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("camera   FAIL  empty: cameras[0].source.path is '" + emptyDir + "': no images in it or its "
                + "subdirectories (.jpg, .jpeg, .png, .bmp), allowed a directory of images or an ImageFolder tree",
                lines.get(1));
        assertEquals("camera   FAIL  file: cameras[1].source.path is '" + file + "': not a directory, allowed a "
                + "directory to watch", lines.get(2));
        if (Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
            assertTrue(lines.get(3).startsWith("camera   FAIL  rtsp: cameras[2].source.input is "
                    + "'rtps://10.0.0.5/stream': ffmpeg (/usr/bin/ffmpeg) reads no 'rtps' URLs, allowed a device, "
                    + "a file or a URL with one of ["), lines.get(3));
            assertTrue(lines.get(3).contains(" rtsp, "), lines.get(3));
        }
        assertEquals("camera   FAIL  noffmpeg: cameras[3].source.executable is '" + tmp.resolve("bin/ffmpeg")
                + "': not an executable file, allowed the ffmpeg binary (Debian: apt-get install ffmpeg)",
                lines.get(4));
        assertEquals("camera   FAIL  snap: environment variable CAMERA_PASSWORD (named in the config) is not set",
                lines.get(5));
        assertEquals("model    FAIL  inference.classThresholds names the class 'purple', allowed the model's labels "
                + "[red, green, blue]", lines.get(7));
        assertTrue(r.err().startsWith("edge-agent check: failed: camera empty, camera file, camera rtsp, "
                + "camera noffmpeg, camera snap, model, broker"), r.err());
    }

    @Test
    void checkAndRunRefuseHardExampleClassesTheModelLacks() throws Exception {
        Path cfg = config("tcp://127.0.0.1:1", """
                hardExamples:
                  enabled: true
                  selectors:
                    classes: {labels: [red, purple]}
                """);
        AgentRun check = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "check", "--config", cfg.toString());
        assertEquals(1, check.code(), check.out() + check.err());
        assertTrue(check.out().lines().anyMatch(l -> l.equals("model    FAIL  hardExamples.selectors.classes.labels[1]"
                + " is 'purple', allowed the model's labels [red, green, blue]")), check.out());
        AgentRun run = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "run", "--config", cfg.toString());
        assertEquals(2, run.code(), run.err());
        assertEquals("edge-agent run: hardExamples.selectors.classes.labels[1] is 'purple', allowed the model's labels"
                + " [red, green, blue]\n", run.err());
    }

    @Test
    void invalidConfigExitsWith2AndNamesTheProblem() throws Exception {
        Path cfg = config("tcp://127.0.0.1:1", "bogus: 1\n");
        AgentRun r = run(Map.of(), "check", "--config", cfg.toString());
        assertEquals(2, r.code());
        assertEquals("config   FAIL\n", r.out());
        assertEquals("edge-agent check: " + cfg + ": unknown key 'bogus', allowed keys here: [cameras, deploy, "
                + "deviceId, events, groups, hardExamples, homeAssistant, inference, metrics, model, mqtt, retry, "
                + "shutdownTimeoutSeconds, spool, stateDir]\n", r.err());
        AgentRun missingSecret = run(Map.of(), "run", "--config", config("tcp://127.0.0.1:1", "").toString());
        assertEquals(2, missingSecret.code());
        assertEquals("edge-agent run: environment variable EDGE_MQTT_PASSWORD (named in the config) is not set\n",
                missingSecret.err());
    }

    @Test
    void badUsageExitsWith2WithTheReasonAndAHint() {
        AgentRun none = run(Map.of());
        assertEquals(2, none.code());
        assertEquals("", none.out());
        assertEquals("edge-agent: a command is required: run, check or help\n"
                + "Try 'edge-agent --help' for more information.\n", none.err());
        AgentRun unknown = run(Map.of(), "run", "--config", "a.yaml", "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("edge-agent run: Unknown option: '--frobnicate'", unknown.err().lines().findFirst().orElseThrow());
        assertTrue(unknown.err().endsWith("Try 'edge-agent run --help' for more information.\n"), unknown.err());
        AgentRun noConfig = run(Map.of(), "check");
        assertEquals(2, noConfig.code());
        assertEquals("edge-agent check: Missing required option: '--config=FILE'\n"
                + "Try 'edge-agent check --help' for more information.\n", noConfig.err());
        AgentRun unknownCommand = run(Map.of(), "help", "start");
        assertEquals(2, unknownCommand.code());
        assertEquals("edge-agent: Unknown subcommand 'start'.\n"
                + "Try 'edge-agent --help' for more information.\n", unknownCommand.err());
    }

    @Test
    void filesAndValuesNamedOnTheCommandLineAreCheckedAndNamed() throws Exception {
        AgentRun missingConfig = run(Map.of(), "check", "--config", "/nonexistent.yaml");
        assertEquals(2, missingConfig.code());
        assertEquals("edge-agent check: --config is '/nonexistent.yaml': no such file, allowed a YAML agent "
                + "configuration file (examples in devices/profiles/)\n", missingConfig.err());
        Path cfg = config("tcp://127.0.0.1:1", "");
        AgentRun missingModel = run(Map.of(), "run", "--config", cfg.toString(), "--model", tmp + "/none.onnx");
        assertEquals(2, missingModel.code());
        assertEquals("edge-agent run: --model is '" + tmp + "/none.onnx': no such file, allowed an ONNX model file\n",
                missingModel.err());
        AgentRun badBroker = run(Map.of(), "run", "--config", cfg.toString(), "--broker", "localhost:1883");
        assertEquals(2, badBroker.code());
        assertEquals("edge-agent run: --broker: broker is 'localhost:1883', allowed tcp://host:port or "
                + "ssl://host:port\n", badBroker.err());
        AgentRun badDevice = run(Map.of(), "run", "--config", cfg.toString(), "--device-id", "box 1");
        assertEquals(2, badDevice.code());
        assertTrue(badDevice.err().startsWith("edge-agent run: --device-id is \"box 1\", allowed "), badDevice.err());
        AgentRun badSource = run(Map.of(), "run", "--config", cfg.toString(), "--source", "rtsp://cam/1");
        assertEquals(2, badSource.code());
        assertEquals("edge-agent run: --source type is 'rtsp', allowed one of folder, replay, http-snapshot, mjpeg, "
                + "ffmpeg\n", badSource.err());
        AgentRun badUrl = run(Map.of(), "check", "--config", cfg.toString(), "--source", "mjpeg:rtsp://cam/1");
        assertEquals(2, badUrl.code());
        assertEquals("edge-agent check: --source: url is 'rtsp://cam/1', allowed an http:// or https:// URL\n",
                badUrl.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "run --help", "run -h", "check --help", "check -h", "help", "help run",
            "help check", "bench --help", "help bench"})
    void everyCommandAnswersHelpIn80Columns(String args) {
        AgentRun r = run(Map.of(), args.split(" "));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String command = args.replace("help", "").replace("-h", "").replace("--", "").trim();
        String usage = "Usage: edge-agent" + (command.isEmpty() ? " [-hV] [COMMAND]" : " " + command + " [-hV]");
        assertTrue(r.out().startsWith(usage), r.out());
        if (!command.isEmpty()) {
            assertTrue(r.out().contains(command.equals("bench") ? "--model=FILE" : "--config=FILE"), r.out());
        }
        for (String line : r.out().lines().toList()) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
    }

    @Test
    void versionOnEveryCommand() {
        assertEquals("edge-agent 0.1.0\n", run(Map.of(), "--version").out());
        assertEquals("edge-agent 0.1.0\n", run(Map.of(), "check", "-V").out());
    }

    @Test
    void runUntilDoneWithOverrides() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "cli-watch", "edgeloop/+/+/events")) {
            Path cfg = config("tcp://127.0.0.1:1", "");
            Path other = tmp.resolve("other");
            Images.write(other.resolve("green/1.png"), Color.GREEN, "png");
            AgentRun r = run(Map.of("EDGE_MQTT_PASSWORD", "x"), "run", "--config", cfg.toString(), "--broker",
                    broker.uri(), "--device-id", "dev8", "--source", "replay:" + other, "--exit-when-done");
            assertEquals(0, r.code(), r.err());
            List<Subscriber.Received> events = sub.await("/events", 1, 5000);
            assertEquals("edgeloop/dev8/cam0/events", events.get(0).topic());
            assertEquals("green", new ObjectMapper().readTree(events.get(0).payload()).get("label").asText());
        }
    }

    @Test
    void aKilledAgentLeavesTheWillRegisteredAtItsLatestConnect() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Path cfg = config(broker.uri(), "");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-DEDGELOOP_TEST_LOG=INFO", "-cp",
                    System.getProperty("java.class.path"), AgentMain.class.getName(), "run", "--config", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile());
            pb.environment().put("EDGE_MQTT_PASSWORD", "x");
            Process agent = pb.start();
            try {
                DeviceStatus first = retainedStatus(broker.uri(), null);
                assertEquals(DeviceState.ONLINE, first.state(), Files.readString(tmp.resolve("agent.log")));
                Thread.sleep(1100); // instants in the payloads have millisecond precision; keep them well apart
                broker.stopProcess();
                broker.startProcess();
                DeviceStatus second = retainedStatus(broker.uri(), first.at());
                assertEquals(DeviceState.ONLINE, second.state());
                try (Subscriber sub = new Subscriber(broker.uri(), "will-watch", "edgeloop/dev7/status")) {
                    assertEquals(1, sub.await("/status", 1, 5000).size()); // the retained birth
                    agent.destroyForcibly(); // SIGKILL: no clean stop, the broker publishes the will
                    List<Subscriber.Received> will = sub.await("/status", 1, 10_000);
                    assertEquals(1, will.size(), "no will after SIGKILL");
                    DeviceStatus offline = (DeviceStatus) Payloads.decode(Topics.DEFAULT, will.get(0).topic(),
                            will.get(0).payload()).payload();
                    assertEquals(DeviceState.OFFLINE, offline.state());
                    // registered with the second connect: after the first birth, not after the birth it belongs to
                    assertTrue(offline.at().isAfter(first.at()), first.at() + " then will " + offline.at());
                    assertTrue(!offline.at().isAfter(second.at()), "will " + offline.at() + " after " + second.at());
                }
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /** The retained status on the broker once it is newer than {@code after} (or any, when null). */
    private static DeviceStatus retainedStatus(String uri, Instant after) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try (Subscriber s = new Subscriber(uri, "status-probe", "edgeloop/dev7/status")) {
                Subscriber.Received r = s.poll(500, TimeUnit.MILLISECONDS);
                if (r != null) {
                    DeviceStatus status = (DeviceStatus) Payloads.decode(Topics.DEFAULT, r.topic(), r.payload())
                            .payload();
                    if (after == null || status.at().isAfter(after)) {
                        return status;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no retained status newer than " + after + " on " + uri);
    }

    @Test
    void sigtermShutsDownGracefullyAndPublishesOffline() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Path cfg = config(broker.uri(), "");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-DEDGELOOP_TEST_LOG=INFO", "-cp",
                    System.getProperty("java.class.path"), AgentMain.class.getName(), "run", "--config", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile());
            pb.environment().put("EDGE_MQTT_PASSWORD", "x");
            try (Subscriber sub = new Subscriber(broker.uri(), "sig-watch", "edgeloop/dev7/status",
                    "edgeloop/dev7/cam1/events")) {
                Process agent = pb.start();
                try {
                    List<Subscriber.Received> events = sub.await("/events", 2, 20_000);
                    assertEquals(2, events.size(), Files.readString(tmp.resolve("agent.log")));
                    long t0 = System.nanoTime();
                    agent.destroy(); // SIGTERM
                    assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    assertTrue(seconds < 6, "shutdown took " + seconds + " s");
                    System.out.printf("SIGTERM to exit: %.2f s%n", seconds);
                    List<Subscriber.Received> status = sub.await("/status", 2, 5000);
                    JsonNode online = new ObjectMapper().readTree(status.get(0).payload());
                    JsonNode last = new ObjectMapper().readTree(status.get(status.size() - 1).payload());
                    assertEquals("online", online.get("state").asText());
                    assertEquals("offline", last.get("state").asText(), Files.readString(tmp.resolve("agent.log")));
                    // the clean stop's own time, after the birth (events came in between)
                    assertTrue(Instant.parse(last.get("at").asText())
                            .isAfter(Instant.parse(online.get("at").asText())), online + " then " + last);
                    String log = Files.readString(tmp.resolve("agent.log"));
                    assertTrue(log.contains("agent dev7 stopped (boot "), log);
                    assertTrue(log.contains("; 0 messages left in the spool, 0 dropped by its cap)"), log);
                    assertTrue(!log.contains("s3cret"));
                } finally {
                    agent.destroyForcibly();
                }
            }
        }
    }
}

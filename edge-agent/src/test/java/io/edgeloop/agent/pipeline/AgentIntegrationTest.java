package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.metrics.CameraMetrics;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.PredictionStats;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent against a real mosquitto: replayed frames in, events with known labels out. */
class AgentIntegrationTest {

    @TempDir
    Path tmp;

    private final ObjectMapper json = new ObjectMapper();

    private AgentConfig config(String broker, String replayDir, String extra) throws Exception {
        return config(broker, replayDir, extra, "");
    }

    /** With {@code cameraBlock} (YAML indented for cam1's keys) added to the camera. */
    private AgentConfig config(String broker, String replayDir, String extra, String cameraBlock) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("model/colour.onnx"), false);
        String yaml = """
                deviceId: dev1
                stateDir: %s
                model:
                  path: %s
                  labels: [red, green, blue]
                  version: colour-1
                  preprocess:
                    resize: exact
                    resizeSize: 32
                    cropSize: 32
                    mean: [0, 0, 0]
                    std: [1, 1, 1]
                    valueScale: 0.00392156862745098
                    colourOrder: rgb
                inference:
                  topK: 2
                  minConfidence: 0.5
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: %s
                      fps: 0
                %s
                mqtt:
                  broker: %s
                  reconnectInitialMillis: 100
                  reconnectMaxMillis: 500
                  connectTimeoutSeconds: 3
                metrics:
                  intervalSeconds: 1
                shutdownTimeoutSeconds: 8
                """.formatted(tmp.resolve("state"), onnx, replayDir, cameraBlock, broker) + extra;
        return new ConfigLoader().parse(yaml, "test.yaml");
    }

    private Path imageFolder() throws Exception {
        Path root = tmp.resolve("frames");
        Images.write(root.resolve("red/001.png"), Color.RED, "png");
        Images.write(root.resolve("red/002.jpg"), new Color(230, 10, 10), "jpg");
        Images.write(root.resolve("green/001.png"), Color.GREEN, "png");
        Images.write(root.resolve("blue/001.png"), Color.BLUE, "png");
        Images.write(root.resolve("blue/002.png"), new Color(20, 20, 240), "png");
        return root;
    }

    @Test
    void replayedFramesBecomeEventsWithTheRightLabelsAndSequence() throws Exception {
        Path frames = imageFolder();
        // bad frames between the good ones: corrupt, truncated, zero-byte, not an image
        Files.write(frames.resolve("green/000-empty.png"), new byte[0]);
        byte[] png = Images.solid(Color.GREEN, 64, 48, "png");
        Files.write(frames.resolve("green/002-truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        byte[] garbage = new byte[500];
        new Random(1).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        Files.write(frames.resolve("green/003-corrupt.jpg"), garbage);
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "watcher", "edgeloop/dev1/#")) {
            Agent agent = Agent.create(config(broker.uri(), frames.toString(), ""), Map.of(), new Random(3));
            try {
                agent.start();
                List<Subscriber.Received> events = sub.await("/events", 5, 15_000);
                assertEquals(5, events.size());
                String[] expected = {"blue", "blue", "green", "red", "red"};
                for (int i = 0; i < 5; i++) {
                    JsonNode e = json.readTree(events.get(i).payload());
                    // the shared contract's decoder accepts it (schema, every field, topic/payload agreement)
                    ClassificationEvent decoded = (ClassificationEvent) Payloads.decode(Topics.DEFAULT,
                            events.get(i).topic(), events.get(i).payload()).payload();
                    assertEquals(1, e.get("schema").asInt());
                    assertEquals("dev1", decoded.device());
                    assertEquals("cam1", decoded.camera());
                    assertEquals(i, decoded.seq());
                    assertEquals(expected[i], decoded.label(), e.toString());
                    assertEquals(false, decoded.unknown());
                    assertEquals(0.5, decoded.minConfidence());
                    assertEquals(expected[i], e.get("groundTruth").asText());
                    assertEquals("colour-1", decoded.model().version());
                    assertEquals("colour", decoded.model().name());
                    assertEquals(64, decoded.model().sha256().length());
                    assertTrue(decoded.top().get(0).score() > 0.99, e.toString());
                    assertEquals(2, decoded.top().size());
                    assertTrue(decoded.latency().inferenceMs() > 0);
                    assertEquals("edgeloop/dev1/cam1/events", events.get(i).topic());
                    assertEquals("application/json", events.get(i).contentType());
                }
                CameraMetrics m = agent.metrics().get("cam1");
                long deadline = System.currentTimeMillis() + 5000;
                while (m.frames() < 8 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(8, m.frames());
                assertEquals(5, m.classifiedCount());
                assertEquals(1, m.rejectedCount(ImageRejectedException.Reason.EMPTY));
                // zero bytes, a truncated PNG, random bytes behind a JPEG marker
                assertEquals(Map.of("empty", 1L, "corrupt", 1L, "unsupported_format", 1L), m.rejectedByReason());
                // periodic metrics arrive on their topic
                List<Subscriber.Received> metrics = sub.await("/metrics", 1, 5_000);
                assertEquals(1, metrics.size());
                DeviceMetrics dm = (DeviceMetrics) Payloads.decode(Topics.DEFAULT, metrics.get(0).topic(),
                        metrics.get(0).payload()).payload();
                assertEquals(5, dm.cameras().get(0).frames());
                assertEquals(3, dm.cameras().get(0).rejected());
                // drift telemetry: the interval's top-1 classes and confidences, for the model that made them
                PredictionStats predicted = dm.cameras().get(0).predictions();
                assertEquals(ModelRef.of("colour", "colour-1"), predicted.model());
                assertEquals(5, predicted.frames());
                assertEquals(Map.of("blue", 2L, "green", 1L, "red", 2L), predicted.classes());
                assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 5L), predicted.confidence());
                assertTrue(predicted.meanConfidence() > 0.99, predicted.toString());
                assertTrue(dm.rssBytes() > 0);
                JsonNode mj = json.readTree(metrics.get(0).payload());
                assertEquals(1, mj.get("details").get("cameras").get("cam1").get("rejected").get("unsupported_format")
                        .asLong());
            } finally {
                agent.close();
            }
            assertEquals(0, agent.spool().pending());
        }
    }

    @Test
    void birthStatusAndOfflineOnShutdownAndHomeAssistantDiscovery() throws Exception {
        Path frames = imageFolder();
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Agent agent = Agent.create(config(broker.uri(), frames.toString(),
                    "homeAssistant:\n  enabled: true\n"), Map.of(), new Random(3));
            try (Subscriber sub = new Subscriber(broker.uri(), "w2", "edgeloop/dev1/status",
                    "homeassistant/sensor/+/config")) {
                agent.start();
                List<Subscriber.Received> status = sub.await("/status", 1, 10_000);
                DeviceStatus birth = (DeviceStatus) Payloads.decode(Topics.DEFAULT, status.get(0).topic(),
                        status.get(0).payload()).payload();
                assertEquals(DeviceState.ONLINE, birth.state());
                assertEquals("colour-1", birth.model().version());
                assertEquals(List.of("cam1"), birth.cameras());
                List<Subscriber.Received> ha = sub.await("dev1_cam1/config", 1, 5_000);
                assertEquals(1, ha.size());
                JsonNode cfg = json.readTree(ha.get(0).payload());
                assertEquals("homeassistant/sensor/dev1_cam1/config", ha.get(0).topic());
                assertEquals("edgeloop/dev1/cam1/events", cfg.get("state_topic").asText());
                assertEquals("{{ value_json.label }}", cfg.get("value_template").asText());
                agent.close();
                List<Subscriber.Received> off = sub.await("/status", 1, 5_000);
                assertEquals("offline", json.readTree(off.get(0).payload()).get("state").asText());
            } finally {
                agent.close();
            }
        }
    }

    @Test
    void theCleanStopStatusCarriesTheTimeOfTheStop() throws Exception {
        Path frames = imageFolder();
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "status-watch", "edgeloop/dev1/status")) {
            Agent agent = Agent.create(config(broker.uri(), frames.toString(), "groups: [canary, lobby]\n"),
                    Map.of(), new Random(3));
            try {
                agent.start();
                DeviceStatus online = status(sub.await("/status", 1, 10_000));
                assertEquals(DeviceState.ONLINE, online.state());
                assertEquals(List.of("canary", "lobby"), online.groups()); // the config's groups, for rollouts
                Thread.sleep(1100);
                Instant beforeStop = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                agent.close();
                DeviceStatus offline = status(sub.await("/status", 1, 5_000));
                assertEquals(DeviceState.OFFLINE, offline.state());
                // the time of the stop, not of the agent's start (which the last will of the same connection has)
                assertTrue(!offline.at().isBefore(beforeStop), "offline at " + offline.at() + ", stop began at "
                        + beforeStop);
                assertTrue(offline.at().isAfter(online.at()), online.at() + " then " + offline.at());
                assertEquals(online.startedAt(), offline.startedAt());
                assertEquals(online.model(), offline.model());
                assertEquals(List.of("canary", "lobby"), offline.groups());
            } finally {
                agent.close();
            }
        }
    }

    private static DeviceStatus status(List<Subscriber.Received> received) throws Exception {
        assertEquals(1, received.size(), "expected one status message");
        return (DeviceStatus) Payloads.decode(Topics.DEFAULT, received.get(0).topic(), received.get(0).payload())
                .payload();
    }

    @Test
    void eventsSpooledWhileTheBrokerIsAwayAreDeliveredByTheNextRun() throws Exception {
        Path frames = imageFolder();
        Mosquitto.assumeInstalled();
        int port = Mosquitto.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        // first run: no broker at all; every event lands in the spool
        Agent first = Agent.create(config(uri, frames.toString(), ""), Map.of(), new Random(3));
        try {
            first.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (first.spool().pending() < 5 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(5, first.spool().pending());
        } finally {
            first.close();
        }
        // second run, broker up, nothing new to replay: the spool of the first run is delivered in order
        Path empty = Files.createDirectories(tmp.resolve("empty/none"));
        Images.write(empty.resolve("x.png"), Color.GREEN, "png");
        try (Mosquitto broker = Mosquitto.startOnPort(tmp.resolve("broker"), port);
                Subscriber sub = new Subscriber(broker.uri(), "w3", "edgeloop/dev1/cam1/events")) {
            Agent second = Agent.create(config(uri, empty.getParent().toString(), ""), Map.of(), new Random(4));
            try {
                second.start();
                List<Subscriber.Received> events = sub.await("/events", 6, 15_000);
                assertEquals(6, events.size());
                List<String> labels = new java.util.ArrayList<>();
                for (Subscriber.Received r : events) {
                    labels.add(json.readTree(r.payload()).get("label").asText());
                }
                assertEquals(List.of("blue", "blue", "green", "red", "red", "green"), labels);
                // sequence numbers restart with each run
                List<Long> seqs = new java.util.ArrayList<>();
                for (Subscriber.Received r : events) {
                    seqs.add(json.readTree(r.payload()).get("seq").asLong());
                }
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 0L), seqs);
            } finally {
                second.close();
            }
        }
    }

    @Test
    void onChangeModePublishesOnlyLabelChanges() throws Exception {
        Path root = tmp.resolve("seq");
        Color[] colours = {Color.RED, Color.RED, Color.RED, Color.GREEN, Color.GREEN, Color.RED};
        for (int i = 0; i < colours.length; i++) {
            Images.write(root.resolve(String.format("%03d.png", i)), colours[i], "png");
        }
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "w4", "edgeloop/dev1/cam1/events")) {
            Agent agent = Agent.create(config(broker.uri(), root.toString(),
                    "events:\n  mode: on-change\n  heartbeatSeconds: 3600\n  thumbnail: true\n "
                            + " thumbnailMaxSide: 32\n"),
                    Map.of(), new Random(3));
            try {
                agent.start();
                List<Subscriber.Received> events = sub.await("/events", 3, 10_000);
                assertEquals(List.of("red", "green", "red"), events.stream().map(r -> {
                    try {
                        return json.readTree(r.payload()).get("label").asText();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList());
                assertNull(sub.poll(500, TimeUnit.MILLISECONDS));
                assertEquals(6, agent.metrics().get("cam1").classifiedCount());
                // thumbnails when asked for: a valid JPEG, at most 32 pixels a side (64x48 frames -> 32x24)
                ClassificationEvent e = (ClassificationEvent) Payloads.decode(Topics.DEFAULT, events.get(0).topic(),
                        events.get(0).payload()).payload();
                BufferedImage thumb = ImageIO.read(new java.io.ByteArrayInputStream(
                        java.util.Base64.getDecoder().decode(e.thumbnail())));
                assertEquals(32, thumb.getWidth());
                assertEquals(24, thumb.getHeight());
            } finally {
                agent.close();
            }
        }
    }

    @Test
    void uncertainFramesBecomeRateLimitedHardExamplesWithoutNearDuplicates() throws Exception {
        Path root = tmp.resolve("hard");
        // grey frames tie all three classes (p = 1/3): uncertain. Two identical greys, one different scene, red.
        Images.write(root.resolve("1.png"), Color.GRAY, "png");
        Images.write(root.resolve("2.png"), Color.GRAY, "png");
        ImageIO.write(Images.halves(64, 48, new Color(90, 90, 90), new Color(160, 160, 160)), "png",
                root.resolve("3.png").toFile());
        Images.write(root.resolve("4.png"), Color.RED, "png");
        Images.write(root.resolve("5.png"), Color.DARK_GRAY, "png");
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "w5", "edgeloop/dev1/cam1/hard",
                        "edgeloop/dev1/cam1/events")) {
            Agent agent = Agent.create(config(broker.uri(), root.toString(),
                    "hardExamples:\n  enabled: true\n  perMinute: 2\n  duplicateDistance: 4\n"), Map.of(),
                    new Random(3));
            try {
                agent.start();
                List<Subscriber.Received> events = sub.await("/events", 5, 10_000);
                assertEquals(5, events.size());
                List<Subscriber.Received> hard = sub.await("/hard", 3, 2_000);
                // 1.png accepted, 2.png a duplicate of it, 3.png accepted, 4.png confident, 5.png over the budget
                assertEquals(2, hard.size());
                HardExample first = (HardExample) Payloads.decode(Topics.DEFAULT, hard.get(0).topic(),
                        hard.get(0).payload()).payload();
                HardExample second = (HardExample) Payloads.decode(Topics.DEFAULT, hard.get(1).topic(),
                        hard.get(1).payload()).payload();
                assertEquals(0, first.seq());
                assertEquals(2, second.seq());
                assertEquals(HardExampleReason.LOW_CONFIDENCE, first.reason());
                BufferedImage jpeg = ImageIO.read(new java.io.ByteArrayInputStream(
                        java.util.Base64.getDecoder().decode(first.image())));
                assertEquals(64, jpeg.getWidth());
                // the unknown flag follows the threshold in force
                JsonNode e0 = json.readTree(events.get(0).payload());
                assertTrue(e0.get("unknown").asBoolean());
                assertEquals("red", e0.get("label").asText()); // top-1 of a tie: the first label
                assertEquals(2, agent.metrics().get("cam1").hardExampleCount());
            } finally {
                agent.close();
            }
        }
    }

    /** A frame of one colour whose left part up to {@code split} (0..1 of the width) is brighter: its own hash. */
    private static BufferedImage step(Color bright, Color dark, double split) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (x < split * 64 ? bright : dark).getRGB());
            }
        }
        return image;
    }

    @Test
    void selectorsCombineWithACamerasOwnAndTheirCountersAreInTheMetrics() throws Exception {
        Path root = tmp.resolve("selectors");
        Files.createDirectories(root);
        BufferedImage[] frames = {step(Color.RED, new Color(150, 0, 0), 0.25),
            step(Color.BLUE, new Color(0, 0, 150), 0.75), step(Color.GRAY, Color.GRAY, 1),
            step(Color.RED, new Color(150, 0, 0), 0.5)};
        for (int i = 0; i < frames.length; i++) {
            ImageIO.write(frames[i], "png", root.resolve((i + 1) + ".png").toFile());
            for (int j = 0; j < i; j++) {
                assertTrue(DifferenceHash.distance(DifferenceHash.of(frames[i]), DifferenceHash.of(frames[j])) > 0,
                        "frames " + j + " and " + i + " must not be near-duplicates");
            }
        }
        // global: the chosen class blue, and entropy; camera cam1 adds an audit of every frame, at most one a minute
        String global = """
                hardExamples:
                  enabled: true
                  perMinute: 10
                  duplicateDistance: 0
                  selectors:
                    classes: {labels: [blue]}
                    entropy: {minEntropy: 0.9}
                """;
        String camera = """
                    hardExamples:
                      selectors:
                        audit: {rate: 1.0, perMinute: 1}
                """;
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "w7", "edgeloop/dev1/cam1/hard",
                        "edgeloop/dev1/cam1/events")) {
            Agent agent = Agent.create(config(broker.uri(), root.toString(), global, camera), Map.of(),
                    new Random(3));
            try {
                agent.start();
                assertEquals(4, sub.await("/events", 4, 10_000).size());
                List<Subscriber.Received> hard = sub.await("/hard", 4, 2_000);
                List<String> got = new ArrayList<>();
                for (Subscriber.Received r : hard) {
                    HardExample h = (HardExample) Payloads.decode(Topics.DEFAULT, r.topic(), r.payload()).payload();
                    got.add(h.seq() + " " + h.reason().wireName() + " " + h.reasons().stream()
                            .map(HardExampleReason::wireName).toList());
                }
                // the audit's one a minute goes to the first frame; the last frame only the audit wanted
                assertEquals(List.of("0 audit [audit]", "1 class [audit, class]", "2 entropy [audit, entropy]"), got);
                JsonNode counts = json.readTree(agent.metricsMessage().payload()).path("details").path("cameras")
                        .path("cam1");
                assertEquals(json.readTree("""
                        {"audit": {"fired": 4, "accepted": 1, "suppressed": 1},
                         "class": {"fired": 1, "accepted": 1, "suppressed": 0},
                         "entropy": {"fired": 1, "accepted": 1, "suppressed": 0}}"""),
                        counts.get("hardExampleSelectors"));
                assertEquals(json.readTree("{\"budget\": 1, \"duplicate\": 0}"), counts.get("hardExamplesSuppressed"));
                assertEquals(3, counts.get("hardExamples").asLong());
            } finally {
                agent.close();
            }
        }
    }

    @Test
    void chosenClassesMustBeTheModelsLabels() throws Exception {
        Path root = tmp.resolve("classes");
        Images.write(root.resolve("1.png"), Color.RED, "png");
        AgentConfig config = config("tcp://127.0.0.1:1", root.toString(),
                "hardExamples:\n  enabled: true\n  selectors:\n    classes: {labels: [blue, purple]}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Agent.create(config, Map.of(), new Random(3)));
        assertEquals("hardExamples.selectors.classes.labels[1] is 'purple', allowed the model's labels [red, green,"
                + " blue]", e.getMessage());
    }

    @Test
    void ffmpegFramesFlowThroughThePipeline() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")),
                "ffmpeg is not installed; skipping");
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "w6", "edgeloop/dev1/cam1/events")) {
            String yaml = """
                    cameras:
                      - id: cam1
                        source:
                          type: ffmpeg
                          inputFormat: lavfi
                          input: color=c=0x0000F0:size=320x240:rate=10:duration=1
                          fps: 10
                    """;
            AgentConfig base = config(broker.uri(), tmp.toString(), "");
            AgentConfig ff = new ConfigLoader().parse(yaml.replace("cameras:", "deviceId: x\nmodel: {path: x}\n"
                    + "mqtt: {broker: tcp://a:1}\ncameras:"), "ff.yaml");
            Agent agent = Agent.create(base.withOverrides(null, null, null, ff.cameras()), Map.of(), new Random(3));
            try {
                agent.start();
                List<Subscriber.Received> events = sub.await("/events", 5, 15_000);
                assertEquals(5, events.size());
                for (Subscriber.Received r : events) {
                    assertEquals("blue", json.readTree(r.payload()).get("label").asText());
                }
            } finally {
                agent.close();
            }
        }
    }
}

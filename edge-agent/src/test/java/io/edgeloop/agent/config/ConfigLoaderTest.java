package io.edgeloop.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.protocol.model.OutputKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    static final String BASE = """
            deviceId: dev1
            model:
              path: /m.onnx
              labels: [a, b]
            cameras:
              - id: cam1
                source:
                  type: replay
                  path: /frames
            mqtt:
              broker: tcp://localhost:1883
            """;

    @TempDir
    Path tmp;

    @Test
    void minimalConfigGetsDefaults() throws Exception {
        AgentConfig c = new ConfigLoader().parse(BASE, "t.yaml");
        assertEquals("dev1", c.deviceId());
        assertEquals("edgeloop-dev1", c.clientId());
        assertEquals(Path.of("state", "spool"), c.spoolDir());
        assertEquals(OutputKind.LOGITS, c.model().outputKind());
        assertEquals(224, c.model().preprocess().cropSize());
        assertEquals(1, c.inference().intraOpThreads());
        assertEquals(Optimization.ALL, c.inference().optimization());
        assertEquals(new SessionSettings(1, Optimization.ALL, false), c.inference().session());
        assertEquals(new SessionSettings(2, Optimization.ALL, true), new ConfigLoader()
                .parse(BASE + "inference:\n  intraOpThreads: 2\n  spinWait: true\n", "t.yaml").inference().session());
        assertEquals(EventsConfig.Mode.EVERY_FRAME, c.events().mode());
        assertEquals(1, c.events().qos());
        assertEquals("edgeloop", c.mqtt().topicPrefix());
        assertEquals(3600, c.mqtt().sessionExpirySeconds());
        assertEquals(false, c.hardExamples().enabled());
        assertEquals(10, c.shutdownTimeoutSeconds());
        assertEquals(java.util.List.of(), c.groups());
        assertEquals(java.util.List.of("canary", "site-2"), new ConfigLoader()
                .parse(BASE + "groups: [canary, site-2]\n", "t.yaml").groups());
        SourceConfig.Replay r = (SourceConfig.Replay) c.cameras().get(0).source();
        assertEquals(5.0, r.fps());
        assertEquals(false, r.loop());
    }

    @Test
    void everySourceTypeParses() throws Exception {
        String yaml = BASE.replace("""
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: /frames
                """, """
                cameras:
                  - id: door
                    source: {type: folder, path: /in, after: move, moveTo: /done, pollMillis: 50}
                  - id: yard
                    source:
                      type: http-snapshot
                      url: http://cam/snap.jpg
                      fps: 1
                      auth: {scheme: digest, username: viewer, passwordEnv: CAM_PASSWORD}
                  - id: gate
                    source: {type: mjpeg, url: https://cam/video.mjpg}
                  - id: road
                    source: {type: ffmpeg, input: rtsp://cam/stream, inputOptions: [-rtsp_transport, tcp], fps: 2}
                """);
        AgentConfig c = new ConfigLoader().parse(yaml, "t.yaml");
        assertEquals(4, c.cameras().size());
        SourceConfig.Folder f = (SourceConfig.Folder) c.cameras().get(0).source();
        assertEquals(SourceConfig.After.MOVE, f.after());
        SourceConfig.HttpSnapshot h = (SourceConfig.HttpSnapshot) c.cameras().get(1).source();
        assertEquals(SourceConfig.AuthScheme.DIGEST, h.auth().scheme());
        assertEquals("env:CAM_PASSWORD", h.auth().password().toString());
        SourceConfig.Ffmpeg ff = (SourceConfig.Ffmpeg) c.cameras().get(3).source();
        assertEquals(java.util.List.of("-rtsp_transport", "tcp"), ff.inputOptions());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(BASE + "extra: 1\n", "unknown key 'extra', allowed keys here: [cameras, deploy, "
                        + "deviceId, events, groups, hardExamples, homeAssistant, inference, metrics, model, mqtt, "
                        + "retry, shutdownTimeoutSeconds, spool, stateDir]"),
                Arguments.of(BASE + "groups: [canary, 'two words']\n", "groups[1] is \"two words\", allowed"
                        + " [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters, digits, '_' or '-', starting with a"
                        + " letter or digit)"),
                Arguments.of(BASE + "groups: [canary, canary]\n", "groups[1] is 'canary' twice, allowed unique"
                        + " group ids"),
                Arguments.of(BASE.replace("  broker:", "  brokr:"), "unknown key 'mqtt.brokr', allowed keys here: "
                        + "[broker, clientId, connectTimeoutSeconds, keepAliveSeconds, passwordEnv, passwordFile, "
                        + "reconnectInitialMillis, reconnectMaxMillis, sessionExpirySeconds, tls, topicPrefix, "
                        + "username]"),
                Arguments.of(BASE.replace("      path: /frames", "      path: /frames\n      speed: 2"),
                        "unknown key 'cameras[0].source.speed', allowed keys here: [fps, loop, path]"),
                Arguments.of(BASE.replace("type: replay", "type: rtsp"),
                        "cameras[0].source.type is 'rtsp' (line 8), allowed one of folder, replay, http-snapshot, "
                                + "mjpeg, ffmpeg"),
                Arguments.of(BASE.replace("type: replay\n", ""),
                        "cameras[0].source.type is missing (line 9), allowed one of folder, replay, http-snapshot, "
                                + "mjpeg, ffmpeg"),
                Arguments.of(BASE.replace("      path: /frames", "      path: /frames\n      fps: fast"),
                        "cameras[0].source.fps 'fast' has the wrong type (line 10), allowed a number"),
                Arguments.of(BASE.replace("      path: /frames", "      path: /frames\n      fps: -2"),
                        "cameras[0].source.fps is -2.0, allowed 0.0..1000.0"),
                Arguments.of(BASE.replace("tcp://localhost:1883", "http://x"),
                        "mqtt.broker is 'http://x', allowed tcp://host:port or ssl://host:port"),
                Arguments.of(BASE.replace("tcp://localhost:1883", "ssl://broker:8883"),
                        "mqtt.tls is missing, required for the ssl:// broker ssl://broker:8883"),
                Arguments.of(BASE.replace("deviceId: dev1", "deviceId: dev/1"),
                        "deviceId is \"dev/1\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters,"
                                + " digits, '_' or '-', "
                                + "starting with a letter or digit)"),
                Arguments.of(BASE + "events:\n  mode: sometimes\n",
                        "events.mode is 'sometimes' (line 13), allowed one of [every-frame, on-change]"),
                Arguments.of(BASE + "events:\n  qos: 3\n", "events.qos is 3, allowed 0..2"),
                Arguments.of(BASE + "inference:\n  topK: '3'\n",
                        "inference.topK '3' has the wrong type (line 13), allowed an integer"),
                Arguments.of(BASE + "inference:\n  intraOpThreads: 0\n",
                        "inference.intraOpThreads is 0, allowed 1..64"),
                Arguments.of(BASE + "inference:\n  optimization: max\n",
                        "inference.optimization is 'max' (line 13), allowed one of [none, basic, extended, all]"),
                Arguments.of(BASE + "inference:\n  spinWait: sometimes\n",
                        "inference.spinWait 'sometimes' has the wrong type (line 13), allowed true or false"),
                Arguments.of(BASE + "inference:\n  classThresholds: {a: 1.5}\n",
                        "inference.classThresholds.a is 1.5, allowed 0.0..1.0"),
                Arguments.of(BASE + "mqtt:\n  broker: tcp://a:1\n", "not valid YAML (line 12): Duplicate field 'mqtt'"),
                Arguments.of(BASE.replace("labels: [a, b]", "labels: a"),
                        "model.labels 'a' has the wrong type (line 4), allowed a list"),
                Arguments.of(BASE.replace("labels: [a, b]", "labels: [a, a]"),
                        "model.labels is [a, a], allowed distinct labels"),
                Arguments.of(BASE.replace("  path: /m.onnx\n", ""),
                        "model.path is missing, allowed the path of an .onnx model file"),
                Arguments.of(BASE + "spool:\n  maxBytes: 10\n", "spool.maxBytes is 10, allowed 1048576..68719476736"),
                Arguments.of(BASE.replace("  labels: [a, b]", "  labels: [a, b]\n  preprocess:\n    resize: exact\n"
                        + "    resizeSize: 10\n    cropSize: 32\n    mean: [0,0,0]\n    std: [1,1,1]\n"
                        + "    valueScale: 1\n    colourOrder: rgb"),
                        "model.preprocess.resizeSize is 10, allowed cropSize (32)..4096 for resize EXACT"),
                Arguments.of(BASE.replace("      path: /frames", "      path: /frames\n      loop: yes please"),
                        "cameras[0].source.loop 'yes please' has the wrong type (line 10), allowed true or false"),
                Arguments.of(BASE.replace("""
                        cameras:
                          - id: cam1
                        """, """
                        cameras:
                          - id: cam1
                            source: {type: replay, path: /a}
                          - id: cam1
                        """), "cameras has the id 'cam1' twice, allowed unique ids"),
                Arguments.of(BASE.replace("""
                        cameras:
                          - id: cam1
                            source:
                              type: replay
                              path: /frames
                        """, "cameras: []\n"), "cameras is missing or empty, allowed a list of 1..64 cameras"),
                Arguments.of(BASE.replace("type: replay\n      path: /frames",
                        "type: folder\n      path: /in\n      after: move"),
                        "cameras[0].source.moveTo is missing, required with after: move"),
                Arguments.of(BASE.replace("type: replay\n      path: /frames",
                        "type: mjpeg\n      url: rtsp://cam/x"),
                        "cameras[0].source.url is 'rtsp://cam/x', allowed an http:// or https:// URL"),
                Arguments.of(BASE.replace("type: replay\n      path: /frames",
                        "type: http-snapshot\n      url: http://cam/x\n      auth: {username: u}"),
                        "cameras[0].source.auth.passwordEnv or passwordFile is required with auth"),
                Arguments.of(BASE + "  passwordEnv: A\n  passwordFile: /b\n",
                        "mqtt.passwordEnv and passwordFile are both set, allowed only one"),
                Arguments.of(BASE + "  topicPrefix: a/#\n",
                        "mqtt.topicPrefix is 'a/#', allowed topic levels separated by '/', without wildcards, "
                                + "leading '$' or empty levels"),
                Arguments.of("", "config is empty, allowed a YAML mapping with deviceId, model, cameras and mqtt"),
                Arguments.of("- a\n- b\n", "config is not a mapping, allowed a YAML mapping with deviceId, model, "
                        + "cameras and mqtt"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidConfigNamesKeyValueAndAllowed(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().parse(yaml, "t.yaml"));
        assertEquals("t.yaml: " + message, e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("agent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(missing));
        assertEquals(missing + ": config file not found", e.getMessage());
    }

    @Test
    void relativePathsInAConfigFileAreRelativeToItsFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("site"));
        Path file = Files.writeString(dir.resolve("agent.yaml"), """
                deviceId: dev1
                model: {path: models/m.onnx, labels: [a, b]}
                cameras:
                  - id: cam1
                    source: {type: folder, path: ./inbox, after: move, moveTo: ../done}
                  - id: cam2
                    source: {type: replay, path: /frames}
                  - id: cam3
                    source: {type: ffmpeg, input: clip.mp4, executable: bin/ffmpeg}
                  - id: cam4
                    source: {type: mjpeg, url: "http://cam/video", auth: {username: u, passwordFile: cam.pw}}
                mqtt:
                  broker: ssl://b:8883
                  passwordFile: secrets/mqtt.pw
                  tls: {caFile: ca.pem, certFile: /etc/edgeloop/client.pem, keyFile: client.key.pem,
                        keyPassphraseFile: key.pw}
                spool: {dir: spool}
                deploy: {trustedKeys: trusted-keys}
                """);
        AgentConfig c = new ConfigLoader().load(file);
        assertEquals(dir.resolve("state").toString(), c.stateDir()); // the default, too
        assertEquals(dir.resolve("spool"), c.spoolDir());
        assertEquals(dir.resolve("models/m.onnx").toString(), c.model().path());
        SourceConfig.Folder folder = (SourceConfig.Folder) c.cameras().get(0).source();
        assertEquals(dir.resolve("inbox").toString(), folder.path());
        assertEquals(tmp.resolve("done").toString(), folder.moveTo());
        assertEquals("/frames", ((SourceConfig.Replay) c.cameras().get(1).source()).path());
        // ffmpeg gets its arguments as written
        SourceConfig.Ffmpeg ffmpeg = (SourceConfig.Ffmpeg) c.cameras().get(2).source();
        assertEquals("clip.mp4", ffmpeg.input());
        assertEquals("bin/ffmpeg", ffmpeg.executable());
        assertEquals(dir.resolve("cam.pw").toString(),
                ((SourceConfig.Mjpeg) c.cameras().get(3).source()).auth().passwordFile());
        assertEquals(dir.resolve("secrets/mqtt.pw").toString(), c.mqtt().passwordFile());
        assertEquals(dir.resolve("ca.pem").toString(), c.mqtt().tls().caFile());
        assertEquals("/etc/edgeloop/client.pem", c.mqtt().tls().certFile());
        assertEquals(dir.resolve("client.key.pem").toString(), c.mqtt().tls().keyFile());
        assertEquals(dir.resolve("key.pw").toString(), c.mqtt().tls().keyPassphraseFile());
        assertEquals(dir.resolve("trusted-keys").toString(), c.deploy().trustedKeys());
        // every key that holds a path is covered by the test above
        assertEquals(12, RelativePaths.KEYS.size());
    }

    @Test
    void errorsInAConfigFileStillCarryTheirLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("agent.yaml"), BASE + "events:\n  mode: sometimes\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(file));
        assertEquals(file + ": events.mode is 'sometimes' (line 13), allowed one of [every-frame, on-change]",
                e.getMessage());
    }

    @Test
    void secretsComeFromEnvironmentOrFileAndAreNeverPrinted() throws Exception {
        Path secret = Files.writeString(tmp.resolve("pw"), "s3cret\n");
        AgentConfig env = new ConfigLoader().parse(BASE + "  username: agent\n  passwordEnv: MQTT_PW\n", "t");
        assertEquals("s3cret", new String(env.mqtt().password().resolve(Map.of("MQTT_PW", "s3cret"))));
        ConfigException e = assertThrows(ConfigException.class, () -> env.mqtt().password().resolve(Map.of()));
        assertEquals("environment variable MQTT_PW (named in the config) is not set", e.getMessage());
        AgentConfig file = new ConfigLoader().parse(BASE + "  passwordFile: " + secret + "\n", "t");
        assertEquals("s3cret", new String(file.mqtt().password().resolve(Map.of())));
        assertEquals("file:" + secret, file.mqtt().password().toString());
        assertNull(new ConfigLoader().parse(BASE, "t").mqtt().password());
    }

    @Test
    void overridesReplaceTheirSettings() throws Exception {
        AgentConfig c = new ConfigLoader().parse(BASE, "t").withOverrides("dev9", "/other.onnx", "tcp://b:1884",
                null);
        assertEquals("dev9", c.deviceId());
        assertEquals("/other.onnx", c.model().path());
        assertEquals("tcp://b:1884", c.mqtt().broker());
        assertEquals("cam1", c.cameras().get(0).id());
    }
}

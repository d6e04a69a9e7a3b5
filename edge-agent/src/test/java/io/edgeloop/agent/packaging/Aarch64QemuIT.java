package io.edgeloop.agent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import io.edgeloop.agent.testing.Subscriber;
import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Mosquitto;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aarch64 agent ({@code edge-agent-linux-aarch64.jar} on the aarch64 jlink runtime the arm64 .deb ships) under
 * QEMU user-mode emulation: {@code qemu-aarch64-static -L SYSROOT runtime/bin/java ...}, without binfmt_misc. The
 * sysroot holds Debian's arm64 libc, libstdc++, zlib, libjpeg (edge-agent/src/deb/arm64-sysroot.sh, run by the
 * build). Skips with the reason when qemu or the sysroot is absent ({@code .ci/run} installs qemu-user-static), or
 * with {@code -DexcludedTestGroups=slow,gpu,benchmark,qemu}. Emulation is ~20× slower: nothing here measures time.
 */
@Tag("qemu")
class Aarch64QemuIT {

    private static final Path QEMU = Path.of("/usr/bin/qemu-aarch64-static");
    private static final int EM_AARCH64 = 183;

    private static Path sysroot;
    private static Path java;
    private static Path jar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void emulatorAndSysroot() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(QEMU), QEMU + " not found (apt-get install qemu-user-static);"
                + " skipping the aarch64 agent test");
        String cache = Optional.ofNullable(System.getenv("EDGELOOP_ARM64_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/edgeloop/arm64");
        sysroot = Path.of(cache, "sysroot");
        Assumptions.assumeTrue(Files.exists(sysroot.resolve("lib/ld-linux-aarch64.so.1")), "no arm64 sysroot in "
                + sysroot + " (the build makes it with edge-agent/src/deb/arm64-sysroot.sh unless"
                + " -Dedgeloop.skipArm64=true); skipping the aarch64 agent test");
        java = Built.TARGET.resolve("runtime-linux-aarch64/bin/java");
        jar = Built.one("edge-agent-linux-aarch64.jar");
        Assumptions.assumeTrue(Files.isExecutable(java), java + " missing (built with -Dedgeloop.skipArm64=true?);"
                + " skipping the aarch64 agent test");
        assertEquals(EM_AARCH64, Built.elfMachine(java), java + " is not an aarch64 binary");
        Mosquitto.assumeInstalled();
    }

    private List<String> agent(String... args) {
        List<String> command = new ArrayList<>(List.of(QEMU.toString(), "-L", sysroot.toString(), java.toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                // fork/exec under user-mode emulation needs vfork (the default posix_spawn helper fails)
                "-Djdk.lang.Process.launchMechanism=VFORK", "-Djava.io.tmpdir=" + tmp.resolve("jvm-tmp"),
                "-Dai.djl.offline=true", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Path config(String broker) throws Exception {
        Path onnx = ColourModel.write(tmp.resolve("model/colour.onnx"), false);
        Path frames = tmp.resolve("frames");
        Images.write(frames.resolve("a/001.png"), Color.RED, "png");
        Images.write(frames.resolve("a/002.jpg"), new Color(20, 230, 20), "jpg");
        Images.write(frames.resolve("a/003.png"), Color.BLUE, "png");
        Files.createDirectories(tmp.resolve("jvm-tmp"));
        return Files.writeString(tmp.resolve("agent.yaml"), """
                deviceId: arm1
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
                  intraOpThreads: 1
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: %s
                      fps: 0
                mqtt:
                  broker: %s
                """.formatted(tmp.resolve("state"), onnx, frames, broker));
    }

    @Test
    void theAarch64AgentChecksAndClassifiesIntoARealBrokerOnItsOwnOnnxRuntime() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.uri(), "arm-watch", "edgeloop/arm1/+/events")) {
            Path cfg = config(broker.uri());

            Built.Run check = Built.run(tmp, agent("check", "--config", cfg.toString()), 240);
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("verdict  ok"), check.output());

            Path log = tmp.resolve("run.log");
            Process run = new ProcessBuilder(agent("run", "--config", cfg.toString())).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                List<Subscriber.Received> events = sub.await("/events", 3, 180_000);
                assertEquals(3, events.size(), Files.readString(log));
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    ClassificationEvent e = (ClassificationEvent) Payloads.decode(Topics.DEFAULT,
                            events.get(i).topic(), events.get(i).payload()).payload();
                    assertEquals("arm1", e.device());
                    assertEquals("cam1", e.camera());
                    assertEquals(i, e.seq());
                    assertEquals("colour-1", e.model().version());
                    assertEquals(64, e.model().sha256().length());
                    assertTrue(e.top().get(0).score() > 0.99, e.toString());
                    labels.add(e.label());
                }
                assertEquals(List.of("red", "green", "blue"), labels);

                // the emulated process mapped ONNX Runtime's aarch64 library (qemu maps guest files for real)
                Path ort = mappedOnnxRuntime(run.pid());
                assertEquals(EM_AARCH64, Built.elfMachine(ort), ort + " is not the linux-aarch64 library");
            } finally {
                run.destroy();
                if (!run.waitFor(60, TimeUnit.SECONDS)) {
                    run.destroyForcibly();
                }
            }
        }
    }

    private static Path mappedOnnxRuntime(long pid) throws Exception {
        List<String> maps = Files.readAllLines(Path.of("/proc/" + pid + "/maps"));
        try (Stream<String> lines = maps.stream()) {
            return lines.map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')))
                    .filter(p -> p.endsWith("/libonnxruntime.so")).findFirst().map(Path::of)
                    .orElseThrow(() -> new AssertionError("libonnxruntime.so is not mapped by process " + pid));
        }
    }
}

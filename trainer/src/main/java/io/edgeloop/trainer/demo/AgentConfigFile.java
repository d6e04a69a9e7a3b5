package io.edgeloop.trainer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo device's agent configuration: one camera replaying the field frames in a loop, every frame published,
 * generous hard-example limits (a demo wants to see the loop turn within minutes), and the deployment key trusted.
 */
final class AgentConfigFile {

    private AgentConfigFile() {
    }

    static Path write(DemoLayout layout, String brokerUri, Path model, int fps) throws IOException {
        Path dir = layout.agent();
        Files.createDirectories(dir);
        String yaml = """
                # Written by 'trainer demo': the demo device. See devices/profiles/ for real devices.
                deviceId: %s
                stateDir: %s
                model:
                  path: %s
                inference:
                  intraOpThreads: 1
                  topK: 3
                cameras:
                  - id: %s
                    source:
                      type: replay
                      path: %s
                      fps: %d
                      loop: true
                events:
                  mode: every-frame
                mqtt:
                  broker: %s
                hardExamples:
                  enabled: true
                  selectors:
                    lowConfidence: {maxConfidence: 0.8}
                    margin: {minMargin: 0.2}
                    disagreement: {perMinute: 30}
                  perMinute: 1000
                  perHour: 10000
                  perDay: 100000
                  duplicateDistance: 0
                deploy:
                  trustedKeys: %s
                """.formatted(ClosedLoopDemo.DEVICE, quote(dir.resolve("state")), quote(model), ClosedLoopDemo.CAMERA,
                quote(layout.field()), fps, brokerUri, quote(layout.trust()));
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** A YAML double-quoted scalar of an absolute path. */
    private static String quote(Path path) {
        return "\"" + path.toAbsolutePath().normalize().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

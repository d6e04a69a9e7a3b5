package io.edgeloop.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.pipeline.Agent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model the agent starts with, from the "current" pointer in the state directory. */
class StartModelTest {

    @TempDir
    Path tmp;

    private AgentConfig config(Path model, boolean deploy) throws Exception {
        String yaml = """
                deviceId: dev1
                stateDir: %s
                model:
                  path: %s
                cameras:
                  - id: cam1
                    source:
                      type: replay
                      path: /frames
                mqtt:
                  broker: tcp://127.0.0.1:1
                """.formatted(tmp.resolve("state"), model) + (deploy ? "deploy:\n  trustedKeys: keys\n" : "");
        return new ConfigLoader().parse(yaml, "t.yaml");
    }

    @Test
    void pointerWinsUnlessOverriddenOrMissingOrDeployOff() throws Exception {
        Path v1 = DeployFixtures.colourPackage(tmp.resolve("given/colour-1.onnx"), "1", List.of("red", "green",
                "blue"));
        Path state = tmp.resolve("state");
        DeployFixtures.colourPackage(state.resolve("models/colour/2/model.onnx"), "2", List.of("a", "b", "c"));
        new ActiveModel("colour", "2", null, "models/colour/2/model.onnx", Instant.EPOCH, Instant.EPOCH, null)
                .write(state);
        assertEquals("2", Agent.startModel(config(v1, true), false).version());
        assertEquals("1", Agent.startModel(config(v1, true), true).version());
        assertEquals("1", Agent.startModel(config(v1, false), false).version());
        Files.delete(state.resolve("models/colour/2/model.onnx"));
        assertEquals("1", Agent.startModel(config(v1, true), false).version());
        // an unreadable pointer is reported by name, and the agent starts with model.path
        Files.writeString(ActiveModel.location(state), "{\"name\": 3}");
        IOException e = assertThrows(IOException.class, () -> ActiveModel.read(state));
        assertTrue(e.getMessage().startsWith(ActiveModel.location(state) + ": not a valid current-model pointer"),
                e.getMessage());
        assertEquals("1", Agent.startModel(config(v1, true), false).version());
    }
}

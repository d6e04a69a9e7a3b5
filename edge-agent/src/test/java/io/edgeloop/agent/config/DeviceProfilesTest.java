package io.edgeloop.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every committed device profile passes the agent's config validation. */
class DeviceProfilesTest {

    /** The profiles directory, from the module directory Maven runs tests in. */
    static final Path PROFILES = Path.of("..", "devices", "profiles");

    static List<Path> profiles() throws IOException {
        try (Stream<Path> files = Files.list(PROFILES)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(list.size() >= 5, "expected the five board profiles in " + PROFILES.toAbsolutePath());
            return list;
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void profileIsValid(Path profile) throws Exception {
        AgentConfig config = new ConfigLoader().load(profile);
        assertTrue(config.cameras().size() >= 1);
        assertEquals(config.deviceId(), config.deviceId().trim());
    }
}

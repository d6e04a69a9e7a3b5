package io.edgeloop.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.config.HomeAssistantConfig;
import io.edgeloop.agent.spool.SpooledMessage;
import io.edgeloop.protocol.mqtt.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Home Assistant discovery: what the agent publishes, and that docs/mqtt.md shows exactly that. */
class HomeAssistantDiscoveryTest {

    /** The marker before the example block in the docs. */
    static final String MARKER = "<!-- Home Assistant discovery example: HomeAssistantDiscoveryTest checks it -->";

    @Test
    void oneRetainedSensorConfigPerCameraOnlyWhenEnabled() {
        HomeAssistantDiscovery off = new HomeAssistantDiscovery(HomeAssistantConfig.DEFAULT, Topics.DEFAULT,
                "gate-01", "0.1.0");
        assertEquals(List.of(), off.messages(List.of("front")));
        HomeAssistantDiscovery on = new HomeAssistantDiscovery(new HomeAssistantConfig(true, "ha/site-3"),
                new Topics("site-3/edgeloop"), "gate-01", "0.1.0");
        List<SpooledMessage> messages = on.messages(List.of("front", "yard"));
        assertEquals(List.of("ha/site-3/sensor/gate-01_front/config", "ha/site-3/sensor/gate-01_yard/config"),
                messages.stream().map(SpooledMessage::topic).toList());
        assertTrue(messages.stream().allMatch(m -> m.retained() && m.qos() == 1));
        // the same bytes after every connect: a retained payload that does not churn
        assertEquals(new String(messages.get(0).payload(), StandardCharsets.UTF_8),
                new String(on.messages(List.of("front")).get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void theDocsShowWhatTheAgentPublishes() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "mqtt.md"), StandardCharsets.UTF_8);
        int marker = doc.indexOf(MARKER);
        assertTrue(marker >= 0, "docs/mqtt.md has no line " + MARKER);
        int start = doc.indexOf("```\n", marker) + 4;
        int end = doc.indexOf("\n```", start);
        JsonNode shown = new ObjectMapper().readTree(doc.substring(start, end));
        SpooledMessage published = new HomeAssistantDiscovery(new HomeAssistantConfig(true, null), Topics.DEFAULT,
                "gate-01", "0.1.0").messages(List.of("front")).get(0);
        assertEquals("homeassistant/sensor/gate-01_front/config", published.topic());
        assertTrue(doc.substring(marker - 400, marker).contains("`" + published.topic() + "`"),
                "the docs name the topic just before the example");
        assertEquals(new ObjectMapper().readTree(published.payload()), shown);
    }
}

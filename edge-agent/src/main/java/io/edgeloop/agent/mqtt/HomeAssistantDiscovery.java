package io.edgeloop.agent.mqtt;

import io.edgeloop.agent.config.HomeAssistantConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.agent.spool.SpooledMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery: one retained sensor config per camera at
 * {@code <discoveryPrefix>/sensor/<device>_<camera>/config}; state is the event's label, score and model are
 * attributes, availability follows the agent's status. Republished after every connect.
 */
public final class HomeAssistantDiscovery {

    private final HomeAssistantConfig config;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topics topics;
    private final String deviceId;
    private final String agentVersion;

    public HomeAssistantDiscovery(HomeAssistantConfig config, Topics topics, String deviceId, String agentVersion) {
        this.config = config;
        this.topics = topics;
        this.deviceId = deviceId;
        this.agentVersion = agentVersion;
    }

    /** The discovery config topic of a camera's sensor. */
    public String configTopic(String camera) {
        return config.discoveryPrefix() + "/sensor/" + deviceId + "_" + camera + "/config";
    }

    /** The retained discovery messages for these cameras (none when disabled). */
    public List<SpooledMessage> messages(List<String> cameraIds) {
        List<SpooledMessage> out = new ArrayList<>();
        if (!config.enabled()) {
            return out;
        }
        for (String camera : cameraIds) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", camera + " classification");
            c.put("unique_id", "edgeloop_" + deviceId + "_" + camera);
            c.put("object_id", "edgeloop_" + deviceId + "_" + camera);
            c.put("state_topic", topics.events(deviceId, camera));
            c.put("value_template", "{{ value_json.label }}");
            c.put("json_attributes_topic", topics.events(deviceId, camera));
            c.put("json_attributes_template", "{{ {'score': value_json.top[0].score, 'unknown': value_json.unknown, "
                    + "'model': value_json.model.name ~ ' ' ~ value_json.model.version, 'seq': value_json.seq} "
                    + "| tojson }}");
            c.put("availability_topic", topics.status(deviceId));
            c.put("availability_template", "{{ value_json.state }}");
            c.put("payload_available", "online");
            c.put("payload_not_available", "offline");
            c.put("icon", "mdi:cctv");
            // insertion order throughout: the retained payload is the same bytes after every connect
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("identifiers", List.of("edgeloop_" + deviceId));
            device.put("name", "edgeloop " + deviceId);
            device.put("manufacturer", "edgeloop");
            device.put("model", "edge agent");
            device.put("sw_version", agentVersion);
            c.put("device", device);
            try {
                out.add(new SpooledMessage(configTopic(camera), 1, true, JSON.writeValueAsBytes(c)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode discovery config", e);
            }
        }
        return out;
    }
}

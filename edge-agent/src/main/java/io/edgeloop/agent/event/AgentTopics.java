package io.edgeloop.agent.event;

/**
 * The agent's topics: {@code <prefix>/<device>/status}, {@code <prefix>/<device>/metrics},
 * {@code <prefix>/<device>/<camera>/events}, {@code <prefix>/<device>/<camera>/hard}. Ids are validated at config
 * load (no '/', '+', '#').
 */
public record AgentTopics(String prefix, String deviceId) {

    public String status() {
        return prefix + "/" + deviceId + "/status";
    }

    public String metrics() {
        return prefix + "/" + deviceId + "/metrics";
    }

    public String events(String cameraId) {
        return prefix + "/" + deviceId + "/" + cameraId + "/events";
    }

    public String hard(String cameraId) {
        return prefix + "/" + deviceId + "/" + cameraId + "/hard";
    }

    /** Home Assistant discovery config topic for a camera's sensor. */
    public String homeAssistantConfig(String discoveryPrefix, String cameraId) {
        return discoveryPrefix + "/sensor/" + deviceId + "_" + cameraId + "/config";
    }
}

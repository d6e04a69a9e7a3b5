package io.edgeloop.agent.config;

/**
 * Home Assistant MQTT discovery: when enabled, each camera appears as a sensor (label as state).
 *
 * @param enabled         default false
 * @param discoveryPrefix Home Assistant's discovery prefix (default {@code homeassistant})
 */
public record HomeAssistantConfig(Boolean enabled, String discoveryPrefix) {

    public static final HomeAssistantConfig DEFAULT = new HomeAssistantConfig(null, null);

    public HomeAssistantConfig {
        enabled = enabled != null && enabled;
        discoveryPrefix = discoveryPrefix == null ? "homeassistant" : discoveryPrefix;
        if (!discoveryPrefix.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("discoveryPrefix is '" + discoveryPrefix
                    + "', allowed topic levels of A-Z, a-z, 0-9, '_' and '-'");
        }
    }
}

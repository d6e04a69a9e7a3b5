package io.edgeloop.agent.config;

/** Periodic metrics: publish interval in seconds (1..3600, default 30). */
public record MetricsConfig(Integer intervalSeconds) {

    public static final MetricsConfig DEFAULT = new MetricsConfig(null);

    public MetricsConfig {
        intervalSeconds = ConfigValues.intRange("intervalSeconds", intervalSeconds, 30, 1, 3600);
    }
}

package io.edgeloop.agent.config;

/**
 * Exponential backoff with jitter for failing frame sources.
 *
 * @param initialMillis first delay (10..60000, default 500)
 * @param maxMillis     longest delay (initialMillis..3600000, default 30000)
 */
public record RetryConfig(Long initialMillis, Long maxMillis) {

    public static final RetryConfig DEFAULT = new RetryConfig(null, null);

    public RetryConfig {
        initialMillis = ConfigValues.longRange("initialMillis", initialMillis, 500, 10, 60_000);
        maxMillis = ConfigValues.longRange("maxMillis", maxMillis, 30_000, initialMillis, 3_600_000);
    }
}

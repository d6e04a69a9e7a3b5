package io.edgeloop.agent.config;

import io.edgeloop.protocol.check.Checks;
import java.util.Collection;

/**
 * Config values with their defaults, validated by the project's {@link Checks}: each failure names the key path,
 * the bad value and what is allowed.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static int intRange(String field, Integer value, int dflt, int min, int max) {
        return Checks.range(field, value == null ? dflt : value, min, max);
    }

    static long longRange(String field, Long value, long dflt, long min, long max) {
        return Checks.range(field, value == null ? dflt : value, min, max);
    }

    static double doubleRange(String field, Double value, double dflt, double min, double max) {
        return Checks.range(field, value == null ? dflt : value, min, max);
    }

    static String required(String field, String value, String allowed) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing, allowed " + allowed);
        }
        return value;
    }

    static String optional(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static <T> T oneOf(String field, T value, Collection<T> allowed) {
        return Checks.oneOf(field, value, allowed);
    }
}

package io.edgeloop.agent.config;

import java.util.Collection;

/** Validation helpers for config records: each failure names the field, the bad value and what is allowed. */
final class Checks {

    private Checks() {
    }

    static int intRange(String field, Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " is " + v + ", allowed " + min + ".." + max);
        }
        return v;
    }

    static long longRange(String field, Long value, long dflt, long min, long max) {
        long v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " is " + v + ", allowed " + min + ".." + max);
        }
        return v;
    }

    static double doubleRange(String field, Double value, double dflt, double min, double max) {
        double v = value == null ? dflt : value;
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(field + " is " + v + ", allowed " + min + ".." + max);
        }
        return v;
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
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed one of " + allowed);
        }
        return value;
    }
}

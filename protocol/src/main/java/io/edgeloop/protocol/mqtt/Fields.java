package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.id.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks shared by the payload records; each failure names the field, the value and the rule. */
final class Fields {

    static final String INSTANT_RULE = "an ISO-8601 UTC instant such as 2026-11-28T18:00:00Z";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Fields() {
    }

    static void schema(int schema) {
        if (schema != Payloads.SCHEMA) {
            throw new IllegalArgumentException("schema is " + schema + ", allowed " + Payloads.SCHEMA);
        }
    }

    static <T> T present(String field, T value, String allowed) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing, allowed " + allowed);
        }
        return value;
    }

    static Instant instant(String field, Instant value) {
        return present(field, value, INSTANT_RULE);
    }

    static String device(String field, String value) {
        return Ids.require(field, value);
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed an integer >= 0");
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed a finite number >= 0");
        }
        return value;
    }

    static double unit(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed a number in 0..1");
        }
        return value;
    }

    static String text(String field, String value, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing, allowed a non-blank string of at most "
                    + maxLength + " characters");
        }
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + " is \"" + abbreviate(value)
                    + "\", allowed a non-blank string of at most " + maxLength + " characters");
        }
        return value;
    }

    static String sha256(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing, allowed 64 lowercase hex digits (SHA-256)");
        }
        if (!HEX64.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is \"" + abbreviate(value)
                    + "\", allowed 64 lowercase hex digits (SHA-256)");
        }
        return value;
    }

    /** Decodes standard base64, failing with the field name. */
    static byte[] base64(String field, String value, String allowed) {
        present(field, value, allowed);
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is \"" + abbreviate(value) + "\" (not base64: "
                    + e.getMessage() + "), allowed " + allowed, e);
        }
    }

    /** Decodes a base64 JPEG: valid base64 whose bytes start with the JPEG start-of-image marker. */
    static byte[] base64Jpeg(String field, String value) {
        String allowed = "standard base64 of a JPEG image";
        byte[] bytes = base64(field, value, allowed);
        if (bytes.length < 4 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8
                || (bytes[2] & 0xFF) != 0xFF) {
            throw new IllegalArgumentException(field + " is \"" + abbreviate(value) + "\" (" + bytes.length
                    + " bytes without the JPEG marker FF D8 FF), allowed " + allowed);
        }
        return bytes;
    }

    /** An immutable copy of a list of unique ids. */
    static List<String> ids(String field, List<String> values) {
        present(field, values, "a list of ids");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String id = Ids.require(field + "[" + i + "]", values.get(i));
            if (!seen.add(id)) {
                throw new IllegalArgumentException(field + "[" + i + "] is \"" + id + "\", a duplicate, allowed"
                        + " unique ids");
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }
}

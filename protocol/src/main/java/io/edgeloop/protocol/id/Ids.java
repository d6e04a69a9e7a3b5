package io.edgeloop.protocol.id;

import java.util.regex.Pattern;

/**
 * Validates identifiers. Device and camera ids: 1 to 64 ASCII letters, digits, {@code _} or {@code -}, starting
 * with a letter or digit. Such an id is safe as an MQTT topic level (no {@code / + # $}), as a file name on every
 * OS, and in a shell command line. Model names and versions follow {@value #MODEL_NAME_RULE}, which also allows dots
 * ({@code 2026.11.28-1}).
 */
public final class Ids {

    /** The id rule as a regular expression. */
    public static final String RULE = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private static final Pattern PATTERN = Pattern.compile(RULE);
    private static final String EXPLAINED = RULE
            + " (1-64 ASCII letters, digits, '_' or '-', starting with a letter or digit)";

    /** Rule for model names and versions, which become directory names ({@code models/<name>/<version>/}). */
    public static final String MODEL_NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private static final Pattern MODEL_NAME = Pattern.compile(MODEL_NAME_RULE);
    private static final String MODEL_NAME_EXPLAINED = MODEL_NAME_RULE
            + " (1-128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)";

    private Ids() {
    }

    /** Whether {@code value} follows the id rule. */
    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /**
     * Returns {@code value} if it is a valid device id.
     *
     * @throws IllegalArgumentException {@code device id is "a/b", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (…)}
     */
    public static String requireDevice(String value) {
        return require("device id", value);
    }

    /** Returns {@code value} if it is a valid camera id; otherwise fails like {@link #requireDevice}. */
    public static String requireCamera(String value) {
        return require("camera id", value);
    }

    /**
     * Returns {@code value} if it follows the id rule; otherwise fails naming {@code what} (for example
     * {@code "cameras[2]"} or {@code "shared subscription group"}), the value and the rule.
     */
    public static String require(String what, String value) {
        if (!isValid(value)) {
            throw new IllegalArgumentException(what + " is " + (value == null ? "missing" : "\"" + value + "\"")
                    + ", allowed " + EXPLAINED);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is a valid model name or version; otherwise fails naming {@code field} (for example
     * {@code "model.version"}), the value and the rule {@value #MODEL_NAME_RULE}.
     */
    public static String requireModelName(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing, allowed " + MODEL_NAME_EXPLAINED);
        }
        if (!MODEL_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is \"" + value + "\", allowed " + MODEL_NAME_EXPLAINED);
        }
        return value;
    }
}

package io.edgeloop.agent.config;

import java.util.regex.Pattern;

/**
 * Identifiers that end up in MQTT topics and file names (device and camera ids): 1–64 characters of letters,
 * digits, '_' and '-', so they can never contain topic separators or wildcards.
 */
public final class Ids {

    /** What an id may look like. */
    public static final String ALLOWED = "1-64 characters of A-Z, a-z, 0-9, '_' and '-'";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Ids() {
    }

    /** Returns the id or throws naming the field, the value and the allowed form. */
    public static String require(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(field + " is " + (id == null ? "missing" : "'" + id + "'")
                    + ", allowed " + ALLOWED);
        }
        return id;
    }
}

package io.edgeloop.protocol.model;

import io.edgeloop.protocol.id.Ids;
import java.util.regex.Pattern;

/** Field rules shared by the card records. */
final class Names {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Names() {
    }

    static String requireName(String field, String value) {
        return Ids.requireModelName(field, value);
    }

    static String requireSha256(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing, allowed 64 lowercase hex digits (SHA-256)");
        }
        if (!HEX64.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is \"" + value
                    + "\", allowed 64 lowercase hex digits (SHA-256)");
        }
        return value;
    }

    static String requireText(String field, String value, int maxLength) {
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

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

}

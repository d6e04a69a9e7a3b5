package io.edgeloop.trainer.collect;

/**
 * The rule for class labels given to inbox examples: they become ImageFolder directory names, so 1 to 128
 * characters, no path separators, no control characters, not {@code .} or {@code ..}, not starting with {@code .}
 * or a space.
 */
public final class Labels {

    /** The rule in words, for error messages. */
    public static final String RULE = "1-128 characters without '/', '\\\\' or control characters, not starting"
            + " with '.' or a space";

    private Labels() {
    }

    /** Returns {@code label} if it follows {@link #RULE}, otherwise fails naming {@code what}. */
    public static String require(String what, String label) {
        boolean ok = label != null && !label.isEmpty() && label.length() <= 128 && !label.startsWith(".")
                && !label.startsWith(" ") && label.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20
                || c == 0x7F);
        if (!ok) {
            throw new IllegalArgumentException(what + " is " + (label == null ? "missing" : "\"" + label + "\"")
                    + ", allowed " + RULE.replace("\\\\", "\\"));
        }
        return label;
    }
}

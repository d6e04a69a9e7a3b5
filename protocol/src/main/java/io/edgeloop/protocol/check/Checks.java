package io.edgeloop.protocol.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The project's validation helper. Every failure is an {@link IllegalArgumentException} whose message names the
 * thing checked (an option such as {@code --epochs}, a config key such as {@code cameras[0].fps}), the bad value and
 * what is allowed.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code min <= value <= max}. */
    public static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + ", allowed " + min + ".." + max);
        }
        return value;
    }

    /** {@code min <= value <= max}. */
    public static long range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + ", allowed " + min + ".." + max);
        }
        return value;
    }

    /** {@code min <= value <= max}; NaN is never allowed. */
    public static double range(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " is " + value + ", allowed " + min + ".." + max);
        }
        return value;
    }

    /** A value that is present and not blank; {@code allowed} says what would be. */
    public static String required(String name, String value, String allowed) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is " + (value == null ? "missing" : "blank") + ", allowed "
                    + allowed);
        }
        return value;
    }

    /** One of {@code allowed}. */
    public static <T> T oneOf(String name, T value, Collection<T> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(name + " is " + value + ", allowed one of " + allowed);
        }
        return value;
    }

    /** An existing regular file. */
    public static Path file(String name, Path path) {
        if (path == null) {
            throw new IllegalArgumentException(name + " is missing, allowed an existing file");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(name + " " + path + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(name + " " + path + " is not a file");
        }
        return path;
    }

    /** An existing directory. */
    public static Path directory(String name, Path path) {
        if (path == null) {
            throw new IllegalArgumentException(name + " is missing, allowed an existing directory");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(name + " " + path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(name + " " + path + " is not a directory");
        }
        return path;
    }
}

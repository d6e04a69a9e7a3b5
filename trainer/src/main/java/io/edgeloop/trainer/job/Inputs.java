package io.edgeloop.trainer.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the files and values a request names, with the one message shape every command prints:
 * {@code <option> <value> <what is wrong>, allowed: <what is>}.
 */
public final class Inputs {

    private Inputs() {
    }

    /** {@code path} exists and is a regular file. */
    public static Path requireFile(String option, Path path) {
        if (path == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + " " + path + " is not a file");
        }
        return path;
    }

    /** {@code path} exists and is a directory. */
    public static Path requireDirectory(String option, Path path) {
        if (path == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + " is not a directory");
        }
        return path;
    }

    /** {@code value} has a non-blank text. */
    public static String requireNotBlank(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is blank, allowed: a non-empty value");
        }
        return value;
    }

    /** {@code min <= value <= max}. */
    public static int requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " is " + value + ", allowed " + min + ".." + max);
        }
        return value;
    }
}

package io.edgeloop.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The "current" pointer in the state directory ({@code models/current.json}): which deployed model is active, the
 * deploy command that activated it ({@code issuedAt}, so older commands are ignored, also after a restart) and the
 * model it replaced (kept on disk for rollback). Written atomically (temporary file, fsync, rename).
 *
 * @param name      model name
 * @param version   model version
 * @param sha256    SHA-256 of the model file
 * @param file      the model file, relative to the state directory
 * @param issuedAt  issuing time of the command that activated it
 * @param activated when it was activated
 * @param previous  the model that served before (name, version, sha256, file; issuedAt may be null), or null
 */
public record ActiveModel(String name, String version, String sha256, String file, Instant issuedAt,
        Instant activated, ActiveModel previous) {

    /** The pointer's file name under {@code <stateDir>/models}. */
    public static final String FILE = "current.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ActiveModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(file, "file");
    }

    /** Where the pointer lives for a state directory. */
    public static Path location(Path stateDir) {
        return stateDir.resolve("models").resolve(FILE);
    }

    /** The model file, resolved against the state directory. */
    public Path resolve(Path stateDir) {
        return stateDir.resolve(file);
    }

    /**
     * Reads the pointer.
     *
     * @return empty when there is none (no model was ever deployed)
     * @throws IOException naming the file when it exists but is unreadable or malformed
     */
    public static Optional<ActiveModel> read(Path stateDir) throws IOException {
        Path path = location(stateDir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(JSON.readTree(bytes)));
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": not a valid current-model pointer (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the pointer atomically. */
    public void write(Path stateDir) throws IOException {
        Path path = location(stateDir);
        Files.createDirectories(path.getParent());
        writeAtomically(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    }

    private ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("version", version);
        n.put("sha256", sha256);
        n.put("file", file);
        n.put("issuedAt", issuedAt == null ? null : issuedAt.toString());
        n.put("activated", activated == null ? null : activated.toString());
        if (previous != null) {
            n.set("previous", previous.toJson());
        }
        return n;
    }

    private static ActiveModel fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode prev = n.get("previous");
        return new ActiveModel(text(n, "name", true), text(n, "version", true), text(n, "sha256", false),
                text(n, "file", true), instant(n, "issuedAt"), instant(n, "activated"),
                prev == null || prev.isNull() ? null : fromJson(prev));
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is " + v + ", allowed a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field, false);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is \"" + s + "\", allowed an ISO-8601 instant", e);
        }
    }

    /** Writes bytes to a temporary file beside {@code target}, forces them to disk and renames it over the target. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFiles.replace(target, bytes);
    }
}

package io.edgeloop.agent.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The deployed model the agent runs, remembered across restarts in {@code <stateDir>/deploy/active.json}: its file
 * and the {@code issuedAt} of the command that brought it (older commands are ignored).
 *
 * @param path     the model file
 * @param name     model name
 * @param version  model version
 * @param sha256   SHA-256 of the file
 * @param issuedAt issue time of the deploy command that activated it
 */
public record ActiveModel(String path, String name, String version, String sha256, Instant issuedAt) {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Where the record lives under a state directory. */
    public static Path file(Path stateDir) {
        return stateDir.resolve("deploy").resolve("active.json");
    }

    /** Reads the record, or null when no model was deployed yet. */
    public static ActiveModel read(Path stateDir) throws IOException {
        Path f = file(stateDir);
        if (!Files.exists(f)) {
            return null;
        }
        return JSON.readValue(f.toFile(), ActiveModel.class);
    }

    /** Writes the record atomically. */
    public void write(Path stateDir) throws IOException {
        Path f = file(stateDir);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling("active.json.tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

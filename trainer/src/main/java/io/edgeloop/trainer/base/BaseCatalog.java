package io.edgeloop.trainer.base;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A versioned list of pretrained bases. The shipped one ({@link #shipped()}, resource {@value #RESOURCE}) lists
 * published ImageNet classifiers of the ONNX Model Zoo with the sizes and SHA-256 hashes of their Git LFS pointers;
 * {@link #load(Path)} reads another file of the same form (a team's mirror, a test server). Unknown fields are
 * rejected, so a misspelt one cannot fall back to a default; the format is documented in {@code docs/bases.md}.
 *
 * @param schema  catalogue format version, always {@value #SCHEMA}
 * @param version the catalogue's own version (a date), shown by {@code base list}
 * @param bases   the entries, non-empty, names unique
 */
public record BaseCatalog(int schema, String version, List<BaseEntry> bases) {

    /** The catalogue format this code reads. */
    public static final int SCHEMA = 1;

    /** Class-path resource of the shipped catalogue. */
    public static final String RESOURCE = "/io/edgeloop/trainer/base/catalog.json";

    public BaseCatalog {
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("schema is " + schema + ", allowed " + SCHEMA);
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("version is missing, allowed the catalogue's version, e.g. a date");
        }
        if (bases == null || bases.isEmpty()) {
            throw new IllegalArgumentException("bases is " + (bases == null ? "missing" : "empty")
                    + ", allowed a non-empty list of bases");
        }
        bases = List.copyOf(bases);
        Set<String> seen = new HashSet<>();
        for (BaseEntry b : bases) {
            if (!seen.add(b.name())) {
                throw new IllegalArgumentException("bases has the name \"" + b.name() + "\" twice, allowed unique"
                        + " names");
            }
        }
    }

    /** The catalogue shipped with the trainer. */
    public static BaseCatalog shipped() {
        try (InputStream in = BaseCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the trainer jar");
            }
            return parse(in.readAllBytes(), "shipped catalogue " + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    /**
     * Reads a catalogue file.
     *
     * @throws NoSuchFileException      if there is no such file
     * @throws IllegalArgumentException naming the file, the JSON path, the bad value and what is allowed
     */
    public static BaseCatalog load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "catalogue file does not exist or is not a file");
        }
        return parse(Files.readAllBytes(file), "catalogue " + file);
    }

    /** Parses catalogue JSON; {@code origin} prefixes every error message. */
    public static BaseCatalog parse(byte[] json, String origin) {
        try {
            JsonNode tree = ProtocolJson.parseTree(json);
            return ProtocolJson.bind(ProtocolJson.strictReader(), tree, BaseCatalog.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /** The entry called {@code name}, if any. */
    public Optional<BaseEntry> find(String name) {
        return bases.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * The entry called {@code name}.
     *
     * @throws IllegalArgumentException naming the known bases
     */
    public BaseEntry require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown base \"" + name
                + "\", allowed one of " + names()));
    }

    /** The names of all entries, in catalogue order. */
    public List<String> names() {
        return bases.stream().map(BaseEntry::name).toList();
    }
}

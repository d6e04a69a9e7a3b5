package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Loads the JSON Schemas and examples under {@code docs/schemas/} and validates JSON against them. */
final class SchemaFiles {

    /** {@code docs/schemas}, found from the module directory (Maven runs tests in {@code protocol/}). */
    static final Path DIR = locate();

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private SchemaFiles() {
    }

    static JsonSchema schema(String name) {
        return FACTORY.getSchema(read(DIR.resolve(name + ".schema.json")), CONFIG);
    }

    static JsonNode example(String fileName) {
        return read(DIR.resolve("examples").resolve(fileName));
    }

    static List<Path> examples() {
        try (var files = Files.list(DIR.resolve("examples"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Schema file name (without {@code .schema.json}) of a payload type: {@code DeviceStatus} → device-status. */
    static String schemaName(Class<? extends Payload> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    static Set<ValidationMessage> validate(String schemaName, JsonNode json) {
        return schema(schemaName).validate(json);
    }

    static JsonNode read(Path file) {
        try {
            return PLAIN.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(byte[] json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        for (Path p : List.of(Path.of("..", "docs", "schemas"), Path.of("docs", "schemas"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("docs/schemas not found from " + Path.of("").toAbsolutePath());
    }
}

package io.edgeloop.trainer.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One mapping of a YAML config, read key by key with the key's full path in every error
 * ({@code loop.yaml: gate.alpha is 0.9, allowed 0 < alpha <= 0.5}). Keys that were never asked for are unknown:
 * {@link #finish()} names the first with the keys allowed there. Relative paths are resolved against the config
 * file's folder, so a config means the same from any working directory.
 */
final class YamlSection {

    private final String source;
    private final String path;
    private final JsonNode node;
    private final Path base;
    private final Set<String> asked = new LinkedHashSet<>();

    YamlSection(String source, String path, JsonNode node, Path base) {
        this.source = source;
        this.path = path;
        this.node = node;
        this.base = base;
    }

    /** A required nested mapping. */
    YamlSection section(String key) {
        JsonNode child = value(key);
        if (child.isMissingNode() || child.isNull()) {
            throw error(name(key) + " is missing, allowed a mapping");
        }
        if (!child.isObject()) {
            throw error(name(key) + " is " + shown(child) + ", allowed a mapping");
        }
        return new YamlSection(source, name(key), child, base);
    }

    /** An optional nested mapping; an empty one when absent. */
    YamlSection optionalSection(String key) {
        JsonNode child = value(key);
        if (child.isMissingNode() || child.isNull()) {
            return new YamlSection(source, name(key), MissingNode.getInstance(), base);
        }
        return section(key);
    }

    /** Whether the key is given (and not null). */
    boolean has(String key) {
        JsonNode child = value(key);
        return !child.isMissingNode() && !child.isNull();
    }

    String text(String key, String allowed) {
        return optionalText(key, allowed).orElseThrow(() -> error(name(key) + " is missing, allowed " + allowed));
    }

    Optional<String> optionalText(String key, String allowed) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(name(key) + " is " + shown(v) + ", allowed " + allowed);
        }
        return Optional.of(v.asText());
    }

    /** A path, relative to the config file's folder unless absolute. */
    Path path(String key, String allowed) {
        return base.resolve(text(key, allowed)).normalize();
    }

    Optional<Path> optionalPath(String key, String allowed) {
        return optionalText(key, allowed).map(p -> base.resolve(p).normalize());
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw error(name(key) + " is " + shown(v) + ", allowed an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    double number(String key, double fallback, double min, double max, String allowed) {
        OptionalDouble v = optionalNumber(key, min, max, allowed);
        return v.isPresent() ? v.getAsDouble() : fallback;
    }

    OptionalDouble optionalNumber(String key, double min, double max, String allowed) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return OptionalDouble.empty();
        }
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw error(name(key) + " is " + shown(v) + ", allowed " + allowed);
        }
        return OptionalDouble.of(v.asDouble());
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = value(key);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(name(key) + " is " + shown(v) + ", allowed true or false");
        }
        return v.asBoolean();
    }

    /** Fails on the first key of this mapping that was not asked for. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!asked.contains(key)) {
                throw error("unknown key '" + name(key) + "', allowed keys " + (path.isEmpty() ? "at the top"
                        : "in " + path) + ": " + new ArrayList<>(asked));
            }
        }
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(source + ": " + message);
    }

    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonNode value(String key) {
        asked.add(key);
        return node.path(key);
    }

    private static String shown(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }

    /** The keys of a list of allowed words, for messages. */
    static String oneOf(List<String> words) {
        return "one of " + words;
    }
}

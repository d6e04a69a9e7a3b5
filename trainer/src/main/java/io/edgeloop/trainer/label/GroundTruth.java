package io.edgeloop.trainer.label;

import io.edgeloop.protocol.files.AtomicFiles;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.trainer.collect.Labels;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A ground-truth map from image SHA-256 to label, used by {@code label auto} in demos and tests in place of a person.
 * Read from a file — CSV lines {@code <sha256>,<label>} (an optional {@code sha256,label} header, {@code #}
 * comments) or a JSON object {@code {"<sha256>": "<label>"}} — or built by {@link ReplayMatcher} from the replay
 * folder the devices stream.
 *
 * @param source what the truth came from, for output
 * @param labels label by image SHA-256
 */
public record GroundTruth(String source, Map<String, String> labels) {

    /** What {@code labelledBy} says for labels from ground truth. */
    public static final String LABELLED_BY = "ground-truth (stand-in for a person)";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");

    public GroundTruth {
        Objects.requireNonNull(source, "source");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** The label of an image, if known. */
    public Optional<String> label(String imageSha256) {
        return Optional.ofNullable(labels.get(imageSha256));
    }

    /**
     * Reads a truth file.
     *
     * @throws IllegalArgumentException naming the file, the line (CSV) or key (JSON), the bad value and the rule
     * @throws IOException              if the file cannot be read
     */
    public static GroundTruth read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> labels = new LinkedHashMap<>();
        if (text.stripLeading().startsWith("{")) {
            JsonNode tree;
            try {
                tree = ProtocolJson.parseTree(text.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            for (Map.Entry<String, JsonNode> e : tree.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException(file + ": \"" + e.getKey() + "\" is " + e.getValue()
                            + ", allowed a label string");
                }
                put(labels, file + ": key \"" + e.getKey() + "\"", e.getKey(), e.getValue().asText());
            }
        } else {
            List<String> lines = text.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.equalsIgnoreCase("sha256,label"))) {
                    continue;
                }
                int comma = line.indexOf(',');
                String where = file + " line " + (i + 1);
                if (comma < 0) {
                    throw new IllegalArgumentException(where + ": \"" + line + "\" has no comma, allowed"
                            + " <sha256>,<label>");
                }
                put(labels, where, line.substring(0, comma).strip(), line.substring(comma + 1).strip());
            }
        }
        return new GroundTruth(file.toString(), labels);
    }

    private static void put(Map<String, String> labels, String where, String sha, String label) {
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException(where + ": image sha256 is \"" + sha + "\", allowed 64 lowercase hex"
                    + " digits");
        }
        Labels.require(where + ": label", label);
        String before = labels.putIfAbsent(sha, label);
        if (before != null && !before.equals(label)) {
            throw new IllegalArgumentException(where + ": image " + sha + " is labelled both \"" + before
                    + "\" and \"" + label + "\"");
        }
    }

    /** Writes the map as CSV with a header, sorted by SHA-256 (for audit and reuse with {@code --truth}). */
    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder("sha256,label\n");
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(e.getKey()).append(',').append(e.getValue()).append('\n'));
        AtomicFiles.replace(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}

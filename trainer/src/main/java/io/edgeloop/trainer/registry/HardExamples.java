package io.edgeloop.trainer.registry;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.trainer.label.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The labelled hard examples in a training tree: the {@code <label>/hard-<id>.jpg} files that {@code label export}
 * copies from the inbox. A registered version keeps their ids, labels and SHA-256 in {@value #FILE_NAME}, so the
 * exact frames a model learnt from can be found again (and a later gate can leave them out of its test set).
 */
public final class HardExamples {

    /** The file in a version folder. */
    public static final String FILE_NAME = "hard-examples.csv";

    static final String HEADER = "id,label,sha256";

    private static final Pattern FILE = Pattern.compile("hard-(.+)\\.jpg");

    /**
     * One exported hard example.
     *
     * @param id     the example id from the inbox
     * @param label  the label folder it is in
     * @param sha256 SHA-256 of the image file
     */
    public record Example(String id, String label, String sha256) {
    }

    private HardExamples() {
    }

    /** The hard examples directly inside the label folders of {@code data}, sorted by label then id. */
    public static List<Example> scan(Path data) throws IOException {
        List<Example> found = new ArrayList<>();
        try (Stream<Path> labels = Files.list(data)) {
            for (Path label : labels.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(label)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        Matcher m = FILE.matcher(file.getFileName().toString());
                        if (m.matches()) {
                            found.add(new Example(m.group(1), label.getFileName().toString(), Sha256.hex(file)));
                        }
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Example::label).thenComparing(Example::id));
        return found;
    }

    /** Writes {@code examples} as {@value #FILE_NAME} into {@code folder}. */
    static void write(List<Example> examples, Path folder) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Example e : examples) {
            csv.append(Csv.field(e.id())).append(',').append(Csv.field(e.label())).append(',').append(e.sha256())
                    .append('\n');
        }
        Files.writeString(folder.resolve(FILE_NAME), csv, StandardCharsets.UTF_8);
    }

    /**
     * The examples recorded in the folder's {@value #FILE_NAME}; none when it has no such file (a version registered
     * without hard examples, or before they were recorded).
     *
     * @throws IllegalArgumentException naming the file and line of a row that is not {@value #HEADER}
     */
    public static List<Example> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Example> examples = new ArrayList<>();
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " " + e.getMessage(), e);
        }
        for (Csv.Row row : rows) {
            if (row.line() == 1 && String.join(",", row.fields()).equals(HEADER)) {
                continue;
            }
            if (row.fields().size() != 3) {
                throw new IllegalArgumentException(file + " line " + row.line() + " has " + row.fields().size()
                        + " fields, allowed 3: " + HEADER);
            }
            examples.add(new Example(row.fields().get(0), row.fields().get(1), row.fields().get(2)));
        }
        return examples;
    }

    /** Rows in the folder's {@value #FILE_NAME}; 0 when there is none. */
    static int count(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.skip(1).filter(l -> !l.isBlank()).count();
        }
    }
}

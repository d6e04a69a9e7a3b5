package io.edgeloop.trainer.label;

import io.edgeloop.protocol.files.AtomicFiles;
import io.edgeloop.trainer.collect.InboxEntry;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Copies labelled inbox examples into an ImageFolder training tree as {@code <label>/hard-<id>.jpg}. Labels must be
 * existing label folders of the dataset (a typo must not create a new class); everything is checked before the first
 * file is written. Existing files are never overwritten: an example already exported is skipped, so exporting again
 * after more labelling adds only the new ones.
 */
public final class DatasetExport {

    /**
     * What was done.
     *
     * @param exported       new files per label
     * @param alreadyPresent examples whose file was already in the dataset (same bytes), skipped
     * @param unlabelled     examples not answered yet, not exported
     * @param discarded      examples a person discarded, never exported
     */
    public record Result(Map<String, Integer> exported, int alreadyPresent, int unlabelled, int discarded) {

        /** Total new files. */
        public int total() {
            return exported.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private DatasetExport() {
    }

    /** The dataset's label folders (non-hidden directories), sorted. */
    public static List<String> labelFolders(Path dataset) throws IOException {
        if (!Files.isDirectory(dataset)) {
            throw new IllegalArgumentException("dataset directory " + dataset + " not found, allowed an ImageFolder"
                    + " tree <label>/<image>");
        }
        try (Stream<Path> s = Files.list(dataset)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /**
     * Exports the labelled examples.
     *
     * @throws IllegalArgumentException if the dataset has no label folders, or an example's label is not one of
     *                                  them (naming the example, the label and the folders), or a file of that name
     *                                  holds other bytes
     */
    public static Result export(List<InboxEntry> examples, Path dataset) throws IOException {
        List<String> folders = labelFolders(dataset);
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("dataset directory " + dataset + " has no label folders, allowed an"
                    + " ImageFolder tree <label>/<image>");
        }
        List<InboxEntry> labelled = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int unlabelled = 0;
        int discarded = 0;
        for (InboxEntry e : examples) {
            if (e.sidecar().discarded()) {
                discarded++;
            } else if (!e.sidecar().labelled()) {
                unlabelled++;
            } else if (!folders.contains(e.sidecar().label())) {
                problems.add(e.sidecar().id() + " is labelled \"" + e.sidecar().label() + "\"");
            } else {
                labelled.add(e);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() + " example(s) have labels that are not label folders"
                    + " of " + dataset + ": " + String.join("; ", problems) + "; allowed " + folders
                    + " (relabel with 'label set', or create the folder if it is a new class)");
        }
        Map<String, Integer> exported = new TreeMap<>();
        int already = 0;
        for (InboxEntry e : labelled) {
            Path target = dataset.resolve(e.sidecar().label()).resolve(fileName(e));
            byte[] bytes = Files.readAllBytes(e.image());
            try {
                AtomicFiles.create(target, bytes);
                exported.merge(e.sidecar().label(), 1, Integer::sum);
            } catch (FileAlreadyExistsException x) {
                if (!Arrays.equals(bytes, Files.readAllBytes(target))) {
                    throw new IllegalArgumentException(target + " exists with other content; not overwritten", x);
                }
                already++;
            }
        }
        return new Result(exported, already, unlabelled, discarded);
    }

    /** {@code hard-<id>.jpg}. */
    public static String fileName(InboxEntry e) {
        return "hard-" + e.sidecar().id() + ".jpg";
    }
}

package io.edgeloop.trainer.loop;

import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.label.DatasetExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training tree of one round: the curated ImageFolder linked in (never copied or changed), plus the round's
 * labelled hard examples copied in as {@code <label>/hard-<id>.jpg}, as {@code label export} writes them, so the
 * registry records exactly which frames the version learnt from.
 */
public final class TrainingTree {

    private TrainingTree() {
    }

    /**
     * Builds the tree in {@code into}, which must not exist yet.
     *
     * @return the hard examples added per label
     * @throws IllegalArgumentException if {@code data} is not a usable ImageFolder (named)
     */
    public static Map<String, Integer> build(Path data, List<InboxEntry> examples, Path into) throws IOException {
        ImageFolder curated = ImageFolder.scan(data);
        Files.createDirectories(into.getParent());
        Files.createDirectory(into);
        for (String label : curated.labels()) {
            Files.createDirectory(into.resolve(label));
        }
        for (var sample : curated.samples()) {
            Files.createSymbolicLink(into.resolve(sample.relativePath()), sample.file().toAbsolutePath());
        }
        Map<String, Integer> added = new TreeMap<>();
        for (InboxEntry e : examples) {
            Path target = into.resolve(e.sidecar().label()).resolve(DatasetExport.fileName(e));
            if (!Files.exists(target)) {
                Files.copy(e.image(), target);
                added.merge(e.sidecar().label(), 1, Integer::sum);
            }
        }
        return added;
    }
}

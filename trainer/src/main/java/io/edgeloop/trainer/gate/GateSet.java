package io.edgeloop.trainer.gate;

import io.edgeloop.protocol.files.Trees;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.label.DatasetExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The images a gate judges on, as one ImageFolder: every image of the held-out folder plus the labelled hard
 * examples that neither model was trained on, each as {@code <label>/hard-<id>.jpg}. Files are linked, not copied
 * (copied where the file system has no symbolic links), into a temporary folder that {@link #close()} removes.
 *
 * @param folder       the combined ImageFolder
 * @param dataImages   images taken from the held-out folder
 * @param hardExamples labelled hard examples added
 * @param trainedOn    labelled hard examples left out because a model was trained on them (by id or image SHA-256)
 * @param otherClass   labelled hard examples left out because their label is not a class of the models
 */
public record GateSet(Path folder, int dataImages, int hardExamples, int trainedOn, int otherClass)
        implements AutoCloseable {

    /**
     * What the models were trained on: hard examples are left out when their id or image hash is here.
     *
     * @param ids    example ids
     * @param sha256 image SHA-256 (hex)
     */
    public record TrainedOn(Set<String> ids, Set<String> sha256) {

        /** Nothing known to be trained on. */
        public static final TrainedOn NONE = new TrainedOn(Set.of(), Set.of());

        public TrainedOn {
            ids = Set.copyOf(ids);
            sha256 = Set.copyOf(sha256);
        }

        boolean contains(InboxEntry e) {
            return ids.contains(e.sidecar().id()) || sha256.contains(e.sidecar().imageSha256());
        }
    }

    /**
     * Builds the set in a new temporary folder under {@code tempRoot}.
     *
     * @param data      the held-out ImageFolder ({@code --gate DIR}); its class folders must be classes of the models
     * @param examples  the inbox's examples (unlabelled and discarded ones are ignored); empty for none
     * @param trainedOn examples to leave out
     * @param classes   the models' classes
     * @throws IllegalArgumentException if {@code data} is not an ImageFolder of those classes (named, with the classes)
     */
    public static GateSet build(Path data, List<InboxEntry> examples, TrainedOn trainedOn, List<String> classes,
                                Path tempRoot) throws IOException {
        Objects.requireNonNull(trainedOn, "trainedOn");
        ImageFolder held;
        try {
            held = ImageFolder.scanWithLabels(data, classes, "gate folder", "models' classes");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--gate " + e.getMessage() + "; allowed an ImageFolder"
                    + " <label>/<image> of held-out images whose class folders are among " + classes, e);
        }
        Path folder = Files.createTempDirectory(tempRoot, "edgeloop-gate-");
        try {
            for (var sample : held.samples()) {
                link(sample.file(), folder.resolve(sample.relativePath()));
            }
            int added = 0;
            int skippedTrained = 0;
            int skippedClass = 0;
            for (InboxEntry e : examples) {
                if (!e.sidecar().labelled()) {
                    continue;
                }
                if (trainedOn.contains(e)) {
                    skippedTrained++;
                } else if (!classes.contains(e.sidecar().label())) {
                    skippedClass++;
                } else if (link(e.image(), folder.resolve(e.sidecar().label())
                        .resolve(DatasetExport.fileName(e)))) {
                    added++;
                }
            }
            return new GateSet(folder, held.samples().size(), added, skippedTrained, skippedClass);
        } catch (IOException | RuntimeException e) {
            delete(folder);
            throw e;
        }
    }

    /** All images judged on. */
    public int images() {
        return dataImages + hardExamples;
    }

    /** Removes the temporary folder (links only: the images themselves are untouched). */
    @Override
    public void close() {
        delete(folder);
    }

    /** Links (or copies) {@code source} to {@code target}; false when {@code target} exists already. */
    private static boolean link(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createSymbolicLink(target, source.toAbsolutePath());
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target)) {
                return false;
            }
            Files.copy(source, target);
        }
        return true;
    }

    private static void delete(Path folder) {
        try {
            Trees.delete(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the gate's temporary folder " + folder, e);
        }
    }
}

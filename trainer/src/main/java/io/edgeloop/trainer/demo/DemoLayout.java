package io.edgeloop.trainer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the demo keeps its files under one output folder, and the split of the shipped sample into the few images a
 * person labelled up front and the "field" frames the camera later sees.
 *
 * @param root     the output folder
 * @param labelled ImageFolder tree of the initially labelled images
 * @param field    ImageFolder tree the agent replays as its camera
 * @param test     the held-out test set (the sample's own test folder, read in place)
 */
record DemoLayout(Path root, Path labelled, Path field, Path test) {

    static DemoLayout under(Path root, Path sampleTest) {
        Path data = root.resolve("data");
        return new DemoLayout(root, data.resolve("labelled"), data.resolve("field"), sampleTest);
    }

    Path run(String version) {
        return root.resolve("runs").resolve("v" + version);
    }

    Path trainingSet(String version) {
        return root.resolve("data").resolve("train-v" + version);
    }

    /** The model registry the demo registers both versions in, and gates version 2 against. */
    Path registry() {
        return root.resolve("models");
    }

    Path collector() {
        return root.resolve("collector");
    }

    Path inbox() {
        return collector().resolve("inbox");
    }

    Path keys() {
        return root.resolve("keys");
    }

    Path agent() {
        return root.resolve("agent");
    }

    /** The device's trust store: the public keys whose signatures it accepts. */
    Path trust() {
        return agent().resolve("trust");
    }

    /**
     * Splits every class of {@code sampleTrain}: the first {@code labelledPerClass} images (in name order) are the
     * labelled set, the rest become field frames. Fails when a class has too few images for both.
     *
     * @return the number of labelled and field images
     */
    int[] split(Path sampleTrain, int labelledPerClass) throws IOException {
        int labelledCount = 0;
        int fieldCount = 0;
        for (Path classDir : sortedChildren(sampleTrain, true)) {
            List<Path> images = sortedChildren(classDir, false);
            if (images.size() <= labelledPerClass) {
                throw new IllegalArgumentException(classDir + " has " + images.size() + " images; --labelled-per-class "
                        + labelledPerClass + " must leave at least one for the field stream");
            }
            String label = classDir.getFileName().toString();
            for (int i = 0; i < images.size(); i++) {
                Path target = (i < labelledPerClass ? labelled : field).resolve(label);
                Files.createDirectories(target);
                Files.copy(images.get(i), target.resolve(images.get(i).getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            labelledCount += labelledPerClass;
            fieldCount += images.size() - labelledPerClass;
        }
        return new int[] {labelledCount, fieldCount};
    }

    /** Copies an ImageFolder tree (for the next version's training set, which gains the labelled hard examples). */
    static void copyTree(Path from, Path to) throws IOException {
        for (Path classDir : sortedChildren(from, true)) {
            Path target = to.resolve(classDir.getFileName());
            Files.createDirectories(target);
            for (Path image : sortedChildren(classDir, false)) {
                Files.copy(image, target.resolve(image.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static int countImages(Path tree) throws IOException {
        int n = 0;
        for (Path classDir : sortedChildren(tree, true)) {
            n += sortedChildren(classDir, false).size();
        }
        return n;
    }

    private static List<Path> sortedChildren(Path dir, boolean directories) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory (expected an ImageFolder tree)");
        }
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> out = new ArrayList<>(children
                    .filter(p -> directories ? Files.isDirectory(p) : isImage(p))
                    .sorted()
                    .toList());
            return out;
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")
                || name.endsWith(".bmp"));
    }
}

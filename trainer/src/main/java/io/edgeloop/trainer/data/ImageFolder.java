package io.edgeloop.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder in the ImageFolder layout, {@code DIR/<label>/*.jpg|jpeg|png|bmp}: one sub-folder per class, labels
 * sorted by name (so class indices do not depend on the file system). Hidden entries (starting with '.') and
 * files with other extensions are ignored; nested folders inside a class folder are not searched.
 *
 * @param root    the dataset folder
 * @param labels  class names in index order (sorted)
 * @param samples every image, sorted by relative path
 */
public record ImageFolder(Path root, List<String> labels, List<ImageSample> samples) {

    /** File extensions (lower case) accepted as images. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");

    private static final String LAYOUT = "layout: DIR/<label>/*.jpg|jpeg|png|bmp";

    public ImageFolder {
        labels = List.copyOf(labels);
        samples = List.copyOf(samples);
    }

    /**
     * Scans a training folder: at least two class folders, each with at least one image.
     *
     * @throws DatasetException naming the folder when the layout is not usable
     */
    public static ImageFolder scan(Path root) {
        List<String> labels = classFolders(root, "data folder");
        if (labels.size() < 2) {
            throw new DatasetException("data folder " + root + " has " + labels.size() + " class folder(s) "
                    + labels + ", need at least 2 (" + LAYOUT + ")");
        }
        return collect(root, labels, labels, "data folder");
    }

    /**
     * Scans a separate validation folder against the training labels: every class folder must be one of them
     * (a class may be missing), and each must contain images.
     */
    public static ImageFolder scanValidation(Path root, List<String> trainingLabels) {
        return scanWithLabels(root, trainingLabels, "validation folder", "training classes");
    }

    /**
     * Scans a folder whose class indices come from a given label list (a model's, the training run's): every class
     * folder must be one of the labels (some may be missing), and each must contain images.
     *
     * @param folderKind what to call the folder in errors ("validation folder", "data folder")
     * @param labelsKind what to call the labels in errors ("training classes", "model's labels")
     */
    public static ImageFolder scanWithLabels(Path root, List<String> labels, String folderKind, String labelsKind) {
        List<String> found = classFolders(root, folderKind);
        for (String name : found) {
            if (!labels.contains(name)) {
                throw new DatasetException(folderKind + " " + root + " has class folder '" + name
                        + "' that is not one of the " + labelsKind + " " + labels);
            }
        }
        if (found.isEmpty()) {
            throw new DatasetException(folderKind + " " + root + " has no class folders (" + LAYOUT + ")");
        }
        return collect(root, labels, found, folderKind);
    }

    /** Number of images per class, indexed like {@link #labels()}. */
    public int[] countsPerClass() {
        return countsPerClass(samples, labels.size());
    }

    static int[] countsPerClass(List<ImageSample> samples, int numClasses) {
        int[] counts = new int[numClasses];
        for (ImageSample s : samples) {
            counts[s.label()]++;
        }
        return counts;
    }

    private static List<String> classFolders(Path root, String what) {
        if (!Files.exists(root)) {
            throw new DatasetException(what + " " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetException(what + " " + root + " is not a directory (" + LAYOUT + ")");
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DatasetException(what + " " + root + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private static ImageFolder collect(Path root, List<String> labels, List<String> present, String what) {
        List<ImageSample> samples = new ArrayList<>();
        for (String label : present) {
            Path dir = root.resolve(label);
            List<Path> files;
            try (Stream<Path> children = Files.list(dir)) {
                files = children.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().toList();
            } catch (IOException e) {
                throw new DatasetException("class folder " + dir + " cannot be listed: " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new DatasetException("class folder " + dir + " in " + what + " " + root
                        + " has no images (*.jpg, *.jpeg, *.png, *.bmp)");
            }
            int index = labels.indexOf(label);
            for (Path f : files) {
                samples.add(new ImageSample(f, label + "/" + f.getFileName(), index));
            }
        }
        samples.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return new ImageFolder(root, labels, samples);
    }

    static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

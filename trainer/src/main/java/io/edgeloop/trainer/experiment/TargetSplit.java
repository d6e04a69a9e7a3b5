package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The target task's labelled images divided once into a fixed validation set ({@code validationPerClass} per
 * class, the same for every run) and the pool training subsets are drawn from. A subset of {@code n} per class
 * takes the first {@code n} images of a per-seed shuffle of each class's pool, so for one seed the subsets are
 * nested (the 5 images are among the 20, the 20 among the 100 …): sizes differ only in the images added.
 */
public final class TargetSplit {

    private final List<String> labels;
    private final List<ImageSample> validation;
    private final List<List<ImageSample>> poolByClass;

    private TargetSplit(List<String> labels, List<ImageSample> validation, List<List<ImageSample>> poolByClass) {
        this.labels = List.copyOf(labels);
        this.validation = List.copyOf(validation);
        this.poolByClass = poolByClass;
    }

    /**
     * Splits a training folder.
     *
     * @throws IllegalArgumentException naming the class folder when it has no image left for training
     */
    public static TargetSplit of(ImageFolder folder, int validationPerClass, long splitSeed) {
        List<ImageSample> validation = new ArrayList<>();
        List<List<ImageSample>> pool = new ArrayList<>();
        for (int c = 0; c < folder.labels().size(); c++) {
            List<ImageSample> members = byPath(folder.samples(), c);
            if (members.size() <= validationPerClass) {
                throw new IllegalArgumentException("class folder " + folder.root().resolve(folder.labels().get(c))
                        + " has " + members.size() + " images; with " + validationPerClass
                        + " held out for validation none is left to train on (allowed: more than "
                        + validationPerClass + ")");
            }
            Collections.shuffle(members, new Random(splitSeed * 1_000_003L + c));
            validation.addAll(members.subList(0, validationPerClass));
            pool.add(List.copyOf(members.subList(validationPerClass, members.size())));
        }
        validation.sort(Comparator.comparing(ImageSample::relativePath));
        return new TargetSplit(folder.labels(), validation, pool);
    }

    /** Class names, index order. */
    public List<String> labels() {
        return labels;
    }

    /** The fixed validation images, sorted by path. */
    public List<ImageSample> validation() {
        return validation;
    }

    /** Pool images of a class. */
    public int poolSize(int label) {
        return poolByClass.get(label).size();
    }

    /**
     * {@code perClass} training images per class (all of a class's pool when it has fewer, or for
     * {@link SizePlan#ALL}), chosen by {@code seed}, sorted by path.
     */
    public List<ImageSample> subset(int perClass, long seed) {
        List<ImageSample> chosen = new ArrayList<>();
        for (int c = 0; c < poolByClass.size(); c++) {
            List<ImageSample> members = byPath(poolByClass.get(c), c);
            Collections.shuffle(members, new Random(seed * 7_919L + c * 104_729L + 17));
            chosen.addAll(members.subList(0, Math.min(perClass, members.size())));
        }
        chosen.sort(Comparator.comparing(ImageSample::relativePath));
        return chosen;
    }

    private static List<ImageSample> byPath(List<ImageSample> samples, int label) {
        List<ImageSample> members = new ArrayList<>();
        for (ImageSample s : samples) {
            if (s.label() == label) {
                members.add(s);
            }
        }
        members.sort(Comparator.comparing(ImageSample::relativePath));
        return members;
    }
}

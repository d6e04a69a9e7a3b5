package io.edgeloop.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A deterministic stratified train/validation split: per class, the images (in relative-path order) are shuffled
 * with a generator seeded from the run seed and the class index, and {@code round(n × fraction)} go to validation,
 * at least one when the class has two or more images, and never all of them.
 *
 * @param train training samples, sorted by relative path
 * @param validation validation samples, sorted by relative path
 */
public record StratifiedSplit(List<ImageSample> train, List<ImageSample> validation) {

    public StratifiedSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Splits a folder's samples.
     *
     * @param fraction share of each class held out for validation, in (0, 1)
     */
    public static StratifiedSplit of(List<ImageSample> samples, int numClasses, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationFraction is " + fraction + ", allowed 0 < f < 1");
        }
        List<List<ImageSample>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        samples.stream()
                .sorted((a, b) -> a.relativePath().compareTo(b.relativePath()))
                .forEach(s -> byClass.get(s.label()).add(s));
        List<ImageSample> train = new ArrayList<>();
        List<ImageSample> val = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<ImageSample> members = byClass.get(c);
            Collections.shuffle(members, new Random(seed * 1_000_003L + c));
            int n = members.size();
            int nVal = n < 2 ? 0 : Math.min(n - 1, Math.max(1, (int) Math.round(n * fraction)));
            val.addAll(members.subList(0, nVal));
            train.addAll(members.subList(nVal, n));
        }
        train.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        val.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return new StratifiedSplit(train, val);
    }
}

package io.edgeloop.trainer.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two models' outcomes on the same images, paired by file: the accuracies, the per-class recall of each, McNemar's
 * test on the discordant images and the verdict for the candidate against the baseline.
 *
 * @param images            images both models were scored on
 * @param baselineCorrect   images the baseline got right
 * @param candidateCorrect  images the candidate got right
 * @param perClass          per true class: images and how many each model got right, in label order
 * @param test              McNemar's exact test
 * @param alpha             significance level of the verdict
 * @param verdict           candidate against baseline
 */
public record PairedComparison(int images, int baselineCorrect, int candidateCorrect, List<ClassDelta> perClass,
                               McNemar test, double alpha, Verdict verdict) {

    /**
     * One class's figures.
     *
     * @param label            the true class
     * @param images           images of that class
     * @param baselineCorrect  of them, right by the baseline
     * @param candidateCorrect of them, right by the candidate
     */
    public record ClassDelta(String label, int images, int baselineCorrect, int candidateCorrect) {

        /** Candidate recall minus baseline recall, in points (0 for a class without images). */
        public double recallDeltaPoints() {
            return images == 0 ? 0 : 100.0 * (candidateCorrect - baselineCorrect) / images;
        }
    }

    /** One model's outcome on one image. */
    public record Outcome(Path file, String trueLabel, String predicted) {

        /** Whether the prediction was right. */
        public boolean correct() {
            return trueLabel.equals(predicted);
        }
    }

    public PairedComparison {
        perClass = List.copyOf(perClass);
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * Pairs the outcomes by file and tests them.
     *
     * @param labels    class names, for the per-class order
     * @param baseline  the baseline's outcomes
     * @param candidate the candidate's outcomes on the same files
     * @param alpha     significance level, in (0, 0.5]
     * @throws IllegalArgumentException if the two did not score the same files
     */
    public static PairedComparison of(List<String> labels, List<Outcome> baseline, List<Outcome> candidate,
                                      double alpha) {
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("--alpha is " + alpha + ", allowed 0 < alpha <= 0.5 (e.g. 0.05)");
        }
        Map<Path, Outcome> byFile = new LinkedHashMap<>();
        candidate.forEach(o -> byFile.put(o.file(), o));
        if (byFile.size() != baseline.size()) {
            throw new IllegalArgumentException("the models were scored on different images (" + baseline.size()
                    + " and " + candidate.size() + "); compare needs both on the same ones");
        }
        Map<String, int[]> classes = new LinkedHashMap<>();
        labels.forEach(l -> classes.put(l, new int[3]));
        int baselineOnly = 0;
        int candidateOnly = 0;
        int baselineRight = 0;
        int candidateRight = 0;
        for (Outcome a : baseline) {
            Outcome b = byFile.get(a.file());
            if (b == null) {
                throw new IllegalArgumentException("image " + a.file() + " was scored by the baseline only;"
                        + " compare needs both models on the same images");
            }
            int[] c = classes.computeIfAbsent(a.trueLabel(), k -> new int[3]);
            c[0]++;
            if (a.correct()) {
                baselineRight++;
                c[1]++;
            }
            if (b.correct()) {
                candidateRight++;
                c[2]++;
            }
            if (a.correct() && !b.correct()) {
                baselineOnly++;
            } else if (!a.correct() && b.correct()) {
                candidateOnly++;
            }
        }
        List<ClassDelta> perClass = new ArrayList<>();
        classes.forEach((label, c) -> perClass.add(new ClassDelta(label, c[0], c[1], c[2])));
        McNemar test = McNemar.of(baselineOnly, candidateOnly);
        return new PairedComparison(baseline.size(), baselineRight, candidateRight, perClass, test, alpha,
                Verdict.of(test, alpha));
    }

    /** Baseline accuracy. */
    public double baselineAccuracy() {
        return images == 0 ? 0 : (double) baselineCorrect / images;
    }

    /** Candidate accuracy. */
    public double candidateAccuracy() {
        return images == 0 ? 0 : (double) candidateCorrect / images;
    }
}

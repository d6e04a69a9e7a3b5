package io.edgeloop.trainer.train;

import java.util.List;
import java.util.Objects;

/**
 * The result of running a model over labelled images: accuracy, loss, per-class precision/recall/F1, confusion
 * matrix and the highest-confidence mistakes. Used by {@code evaluate}, the per-epoch validation and the report.
 *
 * @param labels     class names, index order
 * @param images     number of images evaluated
 * @param accuracy   fraction correct
 * @param loss       mean cross-entropy (no smoothing, no weights)
 * @param perClass   one entry per label
 * @param confusion  {@code confusion[true][predicted]} counts
 * @param worst      wrong predictions, highest confidence first
 * @param confidence the top-1 confidence in the bins devices report (drift telemetry's reference), or
 *                   {@link ConfidenceHistogram#NONE}
 */
public record Evaluation(List<String> labels, int images, double accuracy, double loss, List<ClassMetrics> perClass,
                         int[][] confusion, List<Misclassified> worst, ConfidenceHistogram confidence) {

    public Evaluation {
        labels = List.copyOf(labels);
        perClass = List.copyOf(perClass);
        worst = List.copyOf(worst);
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        confusion = copy;
        Objects.requireNonNull(confidence, "confidence");
    }

    /** An evaluation without its confidence histogram. */
    public Evaluation(List<String> labels, int images, double accuracy, double loss, List<ClassMetrics> perClass,
                      int[][] confusion, List<Misclassified> worst) {
        this(labels, images, accuracy, loss, perClass, confusion, worst, ConfidenceHistogram.NONE);
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        return perClass.stream().mapToDouble(ClassMetrics::f1).average().orElse(0);
    }

    /** A copy of the confusion matrix. */
    @Override
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }
}

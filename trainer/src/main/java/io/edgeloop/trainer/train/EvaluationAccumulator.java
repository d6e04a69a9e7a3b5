package io.edgeloop.trainer.train;

import io.edgeloop.protocol.mqtt.PredictionStats;
import io.edgeloop.trainer.data.ImageSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Collects predictions batch by batch into an {@link Evaluation}. Engine-independent (plain probabilities), so the
 * DJL loop and an ONNX Runtime evaluation share it.
 */
public final class EvaluationAccumulator {

    private final List<String> labels;
    private final List<ImageSample> samples;
    private final int worstCount;
    private final int[][] confusion;
    private final PriorityQueue<Misclassified> worst =
            new PriorityQueue<>(Comparator.comparingDouble(Misclassified::confidence));
    private final long[] confidenceBins = new long[PredictionStats.BINS];
    private double confidenceSum;
    private double lossSum;
    private int images;

    /**
     * @param samples    the images being evaluated (sample indices in {@link #add} refer to this list)
     * @param worstCount how many highest-confidence mistakes to keep
     */
    public EvaluationAccumulator(List<String> labels, List<ImageSample> samples, int worstCount) {
        this.labels = List.copyOf(labels);
        this.samples = samples;
        this.worstCount = worstCount;
        this.confusion = new int[labels.size()][labels.size()];
    }

    /**
     * Adds one batch.
     *
     * @param probabilities  row-major N × K softmax outputs
     * @param trueLabels     N class indices
     * @param sampleIndices  N indices into the sample list
     */
    public void add(float[] probabilities, int[] trueLabels, int[] sampleIndices) {
        int k = labels.size();
        if (probabilities.length != trueLabels.length * k) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values, expected "
                    + trueLabels.length + " images × " + k + " classes");
        }
        for (int i = 0; i < trueLabels.length; i++) {
            int best = argmax(probabilities, i * k, k);
            int truth = trueLabels[i];
            confusion[truth][best]++;
            float top = probabilities[i * k + best];
            confidenceBins[PredictionStats.bin(top)]++;
            confidenceSum += top;
            lossSum += -Math.log(Math.max(probabilities[i * k + truth], 1e-12));
            images++;
            if (best != truth && worstCount > 0) {
                worst.add(new Misclassified(samples.get(sampleIndices[i]).file(), labels.get(truth),
                        labels.get(best), probabilities[i * k + best]));
                if (worst.size() > worstCount) {
                    worst.poll();
                }
            }
        }
    }

    /** Index (0..k-1) of the largest of {@code k} values from {@code offset}; the first one on ties. */
    public static int argmax(float[] values, int offset, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    public Evaluation result() {
        int k = labels.size();
        int correct = 0;
        List<ClassMetrics> perClass = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = 0;
            int predicted = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }
            correct += tp;
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(labels.get(c), precision, recall, f1, support));
        }
        List<Misclassified> mistakes = new ArrayList<>(worst);
        mistakes.sort(Comparator.comparingDouble(Misclassified::confidence).reversed());
        double accuracy = images == 0 ? 0 : (double) correct / images;
        double loss = images == 0 ? 0 : lossSum / images;
        return new Evaluation(labels, images, accuracy, loss, perClass, confusion, mistakes,
                ConfidenceHistogram.of(confidenceBins, confidenceSum));
    }
}

package io.edgeloop.agent.inference;

import io.edgeloop.protocol.model.OutputKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores to a decision: softmax with the calibration temperature over logits (or the model's probabilities as they
 * are), top-k, {@code unknown} when the top-1 probability is below its class threshold or the global minimum
 * confidence, and the normalised entropy of the whole distribution (here is the only place that sees every class; a
 * {@link Classification} keeps the top-k). Not thread-safe (keeps a scratch array): one per worker.
 */
public final class Postprocessor {

    /** Label reported when no class is confident enough. */
    public static final String UNKNOWN = "unknown";

    private final List<String> labels;
    private final OutputKind kind;
    private final double temperature;
    private final int topK;
    private final double[] thresholds;
    private final double[] probabilities;
    private final int[] order;
    private final double logClasses;

    /**
     * @param classThresholds per-class thresholds; every key must be one of the labels
     */
    public Postprocessor(List<String> labels, OutputKind kind, double temperature, int topK, double minConfidence,
            Map<String, Double> classThresholds) {
        this.labels = List.copyOf(labels);
        this.kind = kind;
        this.temperature = temperature;
        this.topK = Math.min(topK, labels.size());
        this.thresholds = new double[labels.size()];
        java.util.Arrays.fill(thresholds, minConfidence);
        for (var e : classThresholds.entrySet()) {
            int index = this.labels.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("inference.classThresholds names the class '" + e.getKey()
                        + "', allowed the model's labels " + this.labels);
            }
            thresholds[index] = e.getValue();
        }
        this.probabilities = new double[labels.size()];
        this.order = new int[this.topK];
        this.logClasses = Math.log(labels.size());
    }

    /** Turns raw scores (one per label) into a decision. */
    public Classification apply(float[] scores) {
        if (scores.length != labels.size()) {
            throw new IllegalArgumentException("model returned " + scores.length + " scores, expected "
                    + labels.size() + " (one per label)");
        }
        // A NaN or infinite score would turn every probability into NaN and reach dashboards as a decision: the frame
        // fails instead (counted as an inference error, which the deploy health check watches).
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("model returned " + scores[i] + " for label '" + labels.get(i)
                        + "', allowed a finite score");
            }
        }
        double entropy;
        if (kind == OutputKind.LOGITS) {
            double max = Double.NEGATIVE_INFINITY;
            for (float s : scores) {
                max = Math.max(max, s / temperature);
            }
            double sum = 0;
            double weighted = 0;
            for (int i = 0; i < scores.length; i++) {
                double z = scores[i] / temperature - max;
                probabilities[i] = Math.exp(z);
                sum += probabilities[i];
                weighted += probabilities[i] * z;
            }
            for (int i = 0; i < scores.length; i++) {
                probabilities[i] /= sum;
            }
            // -sum p log p with log p = z - log(sum): no logarithm per class
            entropy = Math.log(sum) - weighted / sum;
        } else {
            double sum = 0;
            for (int i = 0; i < scores.length; i++) {
                probabilities[i] = scores[i];
                sum += Math.max(0, scores[i]);
            }
            // the model's probabilities as they are; their entropy over the distribution they describe
            entropy = 0;
            for (int i = 0; sum > 0 && i < scores.length; i++) {
                double p = scores[i] / sum;
                if (p > 0) {
                    entropy -= p * Math.log(p);
                }
            }
        }
        double normalised = logClasses > 0 ? Math.min(1, Math.max(0, entropy / logClasses)) : 0;
        // best and second best in one pass; ties go to the lower index (deterministic)
        int best = -1;
        int best2 = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (best < 0 || probabilities[i] > probabilities[best]) {
                best2 = best;
                best = i;
            } else if (best2 < 0 || probabilities[i] > probabilities[best2]) {
                best2 = i;
            }
        }
        for (int k = 0; k < topK; k++) {
            int arg = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken(i, k) && (arg < 0 || probabilities[i] > probabilities[arg])) {
                    arg = i;
                }
            }
            order[k] = arg;
        }
        List<Classification.Ranked> top = new ArrayList<>(topK);
        for (int k = 0; k < topK; k++) {
            top.add(new Classification.Ranked(labels.get(order[k]), probabilities[order[k]]));
        }
        double score = probabilities[best];
        double margin = best2 < 0 ? score : score - probabilities[best2];
        String label = score >= thresholds[best] ? labels.get(best) : UNKNOWN;
        return new Classification(label, score, margin, top, thresholds[best], normalised);
    }

    private boolean taken(int index, int filled) {
        for (int k = 0; k < filled; k++) {
            if (order[k] == index) {
                return true;
            }
        }
        return false;
    }
}

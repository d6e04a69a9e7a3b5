package io.edgeloop.trainer.calibrate;

import java.util.Arrays;

/**
 * A classifier's raw scores (logits) for labelled images: {@code images × classes} values, row-major, and each
 * image's true class. Immutable (arrays are copied in and out).
 */
public final class LabelledScores {

    private final int classes;
    private final float[] logits;
    private final int[] truth;

    /**
     * @param classes number of classes, &gt;= 2
     * @param logits  row-major images × classes finite scores
     * @param truth   each image's class index, 0..classes-1
     */
    public LabelledScores(int classes, float[] logits, int[] truth) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes is " + classes + ", allowed >= 2");
        }
        if (logits.length != truth.length * classes) {
            throw new IllegalArgumentException("logits has " + logits.length + " values, expected " + truth.length
                    + " images × " + classes + " classes");
        }
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException("logit " + (i % classes) + " of image " + (i / classes) + " is "
                        + logits[i] + ", allowed a finite number");
            }
        }
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes) {
                throw new IllegalArgumentException("true class of image " + i + " is " + truth[i] + ", allowed 0.."
                        + (classes - 1));
            }
        }
        this.classes = classes;
        this.logits = logits.clone();
        this.truth = truth.clone();
    }

    public int classes() {
        return classes;
    }

    public int images() {
        return truth.length;
    }

    /** A copy of the row-major logits. */
    public float[] logits() {
        return logits.clone();
    }

    /** A copy of the true class indices. */
    public int[] truth() {
        return truth.clone();
    }

    /** {@code softmax(logits / temperature)} per image, row-major like the logits. */
    public float[] probabilities(double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature is " + temperature + ", allowed a finite number > 0");
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < truth.length; i++) {
            int from = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[from + c] / temperature);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[from + c] / temperature - max);
            }
            for (int c = 0; c < classes; c++) {
                out[from + c] = (float) (Math.exp(logits[from + c] / temperature - max) / sum);
            }
        }
        return out;
    }

    /** Mean negative log-likelihood of the true classes under {@code softmax(logits / temperature)}. */
    public double nll(double temperature) {
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            int from = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[from + c] / temperature);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[from + c] / temperature - max);
            }
            // -log p_y = log Σ exp(z_c / T) - z_y / T, computed stably around the row maximum
            total += Math.log(sum) + max - logits[from + truth[i]] / temperature;
        }
        return truth.length == 0 ? 0 : total / truth.length;
    }

    /** Collects scores batch by batch. */
    public static final class Builder {
        private final int classes;
        private float[] logits = new float[0];
        private int[] truth = new int[0];
        private int images;

        public Builder(int classes) {
            this.classes = classes;
        }

        /**
         * Adds one batch.
         *
         * @param batchLogits row-major N × classes
         * @param batchTruth  N class indices
         */
        public Builder add(float[] batchLogits, int[] batchTruth) {
            if (batchLogits.length != batchTruth.length * classes) {
                throw new IllegalArgumentException("logits has " + batchLogits.length + " values, expected "
                        + batchTruth.length + " images × " + classes + " classes");
            }
            int n = images + batchTruth.length;
            if (truth.length < n) {
                int capacity = Math.max(n, truth.length * 2);
                truth = Arrays.copyOf(truth, capacity);
                logits = Arrays.copyOf(logits, capacity * classes);
            }
            System.arraycopy(batchLogits, 0, logits, images * classes, batchLogits.length);
            System.arraycopy(batchTruth, 0, truth, images, batchTruth.length);
            images = n;
            return this;
        }

        public LabelledScores build() {
            return new LabelledScores(classes, Arrays.copyOf(logits, images * classes), Arrays.copyOf(truth, images));
        }
    }
}

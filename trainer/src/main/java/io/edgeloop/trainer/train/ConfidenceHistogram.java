package io.edgeloop.trainer.train;

import io.edgeloop.protocol.mqtt.PredictionStats;
import java.util.List;

/**
 * The top-1 confidence of evaluated images in the bins devices report ({@link PredictionStats#bin}: ten bins of
 * width 0.1), so a fleet's confidences can be compared with the validation set's.
 *
 * @param bins   {@value PredictionStats#BINS} counts (empty for {@link #NONE})
 * @param mean   mean top-1 confidence, 0 without images
 * @param images images counted, the sum of {@code bins}
 */
public record ConfidenceHistogram(List<Long> bins, double mean, long images) {

    /** Not computed (an evaluation made without it). */
    public static final ConfidenceHistogram NONE = new ConfidenceHistogram(List.of(), 0, 0);

    public ConfidenceHistogram {
        bins = List.copyOf(bins);
        if (!bins.isEmpty() && bins.size() != PredictionStats.BINS) {
            throw new IllegalArgumentException("bins has " + bins.size() + " counts, allowed "
                    + PredictionStats.BINS);
        }
    }

    /** Of the top-1 of each image's probabilities ({@code images × classes}, row-major). */
    public static ConfidenceHistogram ofProbabilities(float[] probabilities, int classes) {
        if (classes < 1 || probabilities.length % classes != 0) {
            throw new IllegalArgumentException(probabilities.length + " probabilities are not rows of " + classes);
        }
        long[] counts = new long[PredictionStats.BINS];
        double sum = 0;
        for (int row = 0; row < probabilities.length; row += classes) {
            float top = probabilities[row];
            for (int j = 1; j < classes; j++) {
                top = Math.max(top, probabilities[row + j]);
            }
            counts[PredictionStats.bin(top)]++;
            sum += top;
        }
        return of(counts, sum);
    }

    /** From counts and the sum of the confidences. */
    static ConfidenceHistogram of(long[] counts, double sum) {
        long n = 0;
        Long[] boxed = new Long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            boxed[i] = counts[i];
            n += counts[i];
        }
        return new ConfidenceHistogram(List.of(boxed), n == 0 ? 0 : sum / n, n);
    }
}

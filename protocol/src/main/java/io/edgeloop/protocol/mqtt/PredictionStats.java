package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeloop.protocol.model.ModelCard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one camera's model predicted over the last metrics interval, for drift monitoring: how often each class was
 * the top-1 label and a fixed-bin histogram of the top-1 confidence. Optional in {@link CameraMetrics}
 * ({@code predictions}); an agent that classified nothing since it started leaves it out.
 *
 * <p>The size is bounded by the model: {@code classes} has at most one entry per label of the model (only labels
 * that were top-1 at least once are listed), and {@code confidence} always has {@value #BINS} bins. Bin {@code i}
 * counts confidences in {@code [i/10, (i+1)/10)}; the last bin also holds 1.0 ({@link #bin}). Counts are for the
 * frames of {@code model} only: an interval in which the model was swapped reports the new model's frames since
 * the swap.
 *
 * @param model          the model whose labels and scores these are
 * @param intervalS      seconds the counts cover (since the previous metrics message, or since the model swap)
 * @param frames         frames classified in the interval: the sum of {@code classes} and of {@code confidence}
 * @param classes        top-1 label (the model's best label, also when the decision was {@code unknown}) to count
 * @param confidence     {@value #BINS} counts of the top-1 confidence, bin width 0.1
 * @param meanConfidence mean top-1 confidence of the interval's frames, 0..1 (0 without frames)
 */
public record PredictionStats(
        ModelRef model,
        @JsonProperty(required = true) double intervalS,
        @JsonProperty(required = true) long frames,
        Map<String, Long> classes,
        List<Long> confidence,
        @JsonProperty(required = true) double meanConfidence) {

    /** Number of confidence bins, each 1/{@value #BINS} wide over 0..1. */
    public static final int BINS = 10;

    private static final int MAX_LABEL = 256;

    public PredictionStats {
        Fields.present("model", model, "{name, version}");
        Fields.nonNegative("intervalS", intervalS);
        Fields.nonNegative("frames", frames);
        classes = classes(classes, frames);
        confidence = bins(confidence, frames);
        Fields.unit("meanConfidence", meanConfidence);
    }

    /** The bin of a confidence: {@code floor(confidence * 10)}, with 1.0 (and anything above) in the last bin. */
    public static int bin(double confidence) {
        if (confidence >= 1) {
            return BINS - 1;
        }
        return confidence > 0 ? (int) (confidence * BINS) : 0;
    }

    private static Map<String, Long> classes(Map<String, Long> classes, long frames) {
        Fields.present("classes", classes, "an object of top-1 label to count");
        if (classes.size() > ModelCard.MAX_LABELS) {
            throw new IllegalArgumentException("classes has " + classes.size() + " entries, allowed at most "
                    + ModelCard.MAX_LABELS + " (one per model label)");
        }
        long sum = 0;
        for (Map.Entry<String, Long> e : classes.entrySet()) {
            Fields.text("classes key", e.getKey(), MAX_LABEL);
            Long count = Fields.present("classes." + e.getKey(), e.getValue(), "an integer >= 0");
            sum += Fields.nonNegative("classes." + e.getKey(), count);
        }
        if (sum != frames) {
            throw new IllegalArgumentException("classes adds up to " + sum + ", allowed frames (" + frames + ")");
        }
        return Collections.unmodifiableMap(new TreeMap<>(classes));
    }

    private static List<Long> bins(List<Long> confidence, long frames) {
        Fields.present("confidence", confidence, BINS + " counts");
        if (confidence.size() != BINS) {
            throw new IllegalArgumentException("confidence has " + confidence.size() + " bins, allowed " + BINS);
        }
        long sum = 0;
        List<Long> copy = new ArrayList<>(BINS);
        for (int i = 0; i < BINS; i++) {
            Long count = Fields.present("confidence[" + i + "]", confidence.get(i), "an integer >= 0");
            sum += Fields.nonNegative("confidence[" + i + "]", count);
            copy.add(count);
        }
        if (sum != frames) {
            throw new IllegalArgumentException("confidence adds up to " + sum + ", allowed frames (" + frames + ")");
        }
        return Collections.unmodifiableList(copy);
    }
}

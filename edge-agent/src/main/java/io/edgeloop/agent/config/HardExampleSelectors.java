package io.edgeloop.agent.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which rules pick a frame as a hard example ({@code hardExamples.selectors}); an absent selector is off. Any selector
 * that fires selects the frame; the reason sent is the first that fired in the order audit, disagreement, class,
 * low-confidence, margin, entropy (and had room in its own budget). Each selector may have its own budget
 * ({@code perMinute}, {@code perHour}, {@code perDay}, default no own limit) on top of the shared one, and
 * {@code enabled: false} switches it off (how a camera drops a selector it would otherwise take from the global
 * block). A selector key with no value ({@code audit:}) is refused (write {@code audit: {rate: ...}}, or
 * {@code disagreement: {}} for a selector's defaults).
 *
 * @param lowConfidence top-1 probability below {@code maxConfidence}
 * @param margin        top-1 minus top-2 below {@code minMargin}
 * @param entropy       normalised entropy of the whole distribution above {@code minEntropy}
 * @param classes       top-1 is one of {@code labels} (optionally only below {@code maxConfidence})
 * @param audit         a seeded random sample of {@code rate} of all frames, whatever the scores
 * @param disagreement  a shadow (candidate) model disagreed with the active one on this frame
 */
public record HardExampleSelectors(LowConfidence lowConfidence, Margin margin, Entropy entropy, Classes classes,
        Audit audit, Disagreement disagreement) {

    /** No selector at all. */
    public static final HardExampleSelectors NONE = new HardExampleSelectors(null, null, null, null, null, null);

    /** What the shorthand {@code hardExamples.maxConfidence} / {@code minMargin} (no {@code selectors}) means. */
    static HardExampleSelectors legacy(double maxConfidence, double minMargin) {
        return new HardExampleSelectors(new LowConfidence(null, maxConfidence, null, null, null),
                new Margin(null, minMargin, null, null, null), null, null, null, null);
    }

    /** These selectors with each selector {@code other} names replacing the one of the same name (whole). */
    public HardExampleSelectors overriddenBy(HardExampleSelectors other) {
        if (other == null) {
            return this;
        }
        return new HardExampleSelectors(pick(other.lowConfidence, lowConfidence), pick(other.margin, margin),
                pick(other.entropy, entropy), pick(other.classes, classes), pick(other.audit, audit),
                pick(other.disagreement, disagreement));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** A selector's own budget: at most this many frames per minute, hour and day are sent for it. */
    public record Limits(int perMinute, int perHour, int perDay) {

        /** No own limit (only the shared budget applies). */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

        static Limits of(Integer perMinute, Integer perHour, Integer perDay) {
            return new Limits(perMinute == null ? Integer.MAX_VALUE : perMinute,
                    perHour == null ? Integer.MAX_VALUE : perHour, perDay == null ? Integer.MAX_VALUE : perDay);
        }
    }

    /** What every selector has: a switch and its own budget. */
    public sealed interface Selector permits LowConfidence, Margin, Entropy, Classes, Audit, Disagreement {
        /** Whether the selector runs (default true). */
        Boolean enabled();

        /** Its own budget on top of the shared one. */
        Limits limits();
    }

    /**
     * @param maxConfidence fires when the top-1 probability is below this (0..1, default 0.6)
     */
    public record LowConfidence(Boolean enabled, Double maxConfidence, Integer perMinute, Integer perHour,
            Integer perDay) implements Selector {
        public LowConfidence {
            enabled = enabled == null || enabled;
            maxConfidence = ConfigValues.doubleRange("maxConfidence", maxConfidence, 0.6, 0, 1);
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    /**
     * @param minMargin fires when top-1 minus top-2 probability is below this (0..1, default 0.1)
     */
    public record Margin(Boolean enabled, Double minMargin, Integer perMinute, Integer perHour, Integer perDay)
            implements Selector {
        public Margin {
            enabled = enabled == null || enabled;
            minMargin = ConfigValues.doubleRange("minMargin", minMargin, 0.1, 0, 1);
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    /**
     * @param minEntropy fires when the entropy of the whole distribution divided by log(number of classes) is above
     *                   this (0..1, required: what counts as spread out depends on the number of classes)
     */
    public record Entropy(Boolean enabled, Double minEntropy, Integer perMinute, Integer perHour, Integer perDay)
            implements Selector {
        public Entropy {
            enabled = enabled == null || enabled;
            if (minEntropy == null) {
                throw new IllegalArgumentException("minEntropy is missing, allowed a number in 0..1 (entropy divided"
                        + " by log(number of classes): 0 = one class certain, 1 = all classes equally likely)");
            }
            ConfigValues.doubleRange("minEntropy", minEntropy, 0, 0, 1);
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    /**
     * @param labels        fires when the top-1 label is one of these (1..1000 of the model's labels, required;
     *                      the agent refuses a model that lacks one of them)
     * @param maxConfidence ... and, when set, only while the top-1 probability is below this (0..1, default: any)
     */
    public record Classes(Boolean enabled, List<String> labels, Double maxConfidence, Integer perMinute,
            Integer perHour, Integer perDay) implements Selector {
        public Classes {
            enabled = enabled == null || enabled;
            if (labels == null || labels.isEmpty()) {
                throw new IllegalArgumentException("labels is " + (labels == null ? "missing" : "empty")
                        + ", allowed a list of 1..1000 of the model's labels");
            }
            if (labels.size() > 1000) {
                throw new IllegalArgumentException("labels has " + labels.size() + " entries, allowed 1..1000");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                if (label == null || label.isBlank()) {
                    throw new IllegalArgumentException("labels[" + i + "] is " + (label == null ? "missing"
                            : "blank") + ", allowed one of the model's labels");
                }
                if (!seen.add(label)) {
                    throw new IllegalArgumentException("labels[" + i + "] is '" + label + "', a duplicate, allowed"
                            + " unique labels");
                }
            }
            labels = List.copyOf(labels);
            if (maxConfidence != null) {
                ConfigValues.doubleRange("maxConfidence", maxConfidence, 1, 0, 1);
            }
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    /**
     * @param rate fraction of frames drawn at random, whatever their scores (more than 0, at most 1, required)
     * @param seed seed of the draw, mixed with the camera id so cameras draw differently (default 0): the same
     *             seed, camera and frame order give the same sample
     */
    public record Audit(Boolean enabled, Double rate, Long seed, Integer perMinute, Integer perHour, Integer perDay)
            implements Selector {
        public Audit {
            enabled = enabled == null || enabled;
            if (rate == null) {
                throw new IllegalArgumentException("rate is missing, allowed a fraction of frames, more than 0 and at"
                        + " most 1 (0.001 = one frame in a thousand)");
            }
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate is " + rate + ", allowed a fraction of frames, more than 0"
                        + " and at most 1 (0.001 = one frame in a thousand)");
            }
            seed = seed == null ? 0L : seed;
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    /** Fires when a shadow model disagreed with the active model on the frame (only budgets to configure). */
    public record Disagreement(Boolean enabled, Integer perMinute, Integer perHour, Integer perDay)
            implements Selector {
        public Disagreement {
            enabled = enabled == null || enabled;
            checkLimits(perMinute, perHour, perDay);
        }

        @Override
        public Limits limits() {
            return Limits.of(perMinute, perHour, perDay);
        }
    }

    static void checkLimits(Integer perMinute, Integer perHour, Integer perDay) {
        if (perMinute != null) {
            ConfigValues.intRange("perMinute", perMinute, 0, 0, 10_000);
        }
        if (perHour != null) {
            ConfigValues.intRange("perHour", perHour, 0, 0, 100_000);
        }
        if (perDay != null) {
            ConfigValues.intRange("perDay", perDay, 0, 0, 1_000_000);
        }
    }
}

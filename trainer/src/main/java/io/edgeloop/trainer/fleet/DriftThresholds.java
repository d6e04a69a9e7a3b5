package io.edgeloop.trainer.fleet;

/**
 * When a camera's window needs attention. Messages name the {@code trainer fleet report} options.
 *
 * @param maxClassDivergence      largest class-mix Jensen–Shannon divergence (bits) still fine
 * @param maxConfidenceDivergence largest confidence-histogram Jensen–Shannon divergence (bits) still fine
 * @param maxConfidenceDrop       largest fall of the mean top-1 confidence below the validation mean still fine
 * @param minFrames               frames a window needs before it is judged (fewer: sampling noise dominates)
 */
public record DriftThresholds(double maxClassDivergence, double maxConfidenceDivergence, double maxConfidenceDrop,
                              long minFrames) {

    /**
     * Defaults: class mix 0.1 bits, confidence histogram 0.15 bits, a mean-confidence drop of 0.1, 200 frames. With
     * 200 frames and 10 classes, a camera that sees exactly the training mix still measures about 0.01 bits from
     * sampling alone, well under 0.1; a class that grows from 10 % to 40 % of the frames measures 0.09, to 50 %
     * 0.15. The confidence reference rests on the validation set, often only tens of images, hence the wider 0.15.
     */
    public static final DriftThresholds DEFAULT = new DriftThresholds(0.1, 0.15, 0.1, 200);

    public DriftThresholds {
        bits("--max-class-divergence", maxClassDivergence);
        bits("--max-confidence-divergence", maxConfidenceDivergence);
        if (!(maxConfidenceDrop >= 0 && maxConfidenceDrop <= 1)) {
            throw new IllegalArgumentException("--max-confidence-drop is " + maxConfidenceDrop + ", allowed 0..1");
        }
        if (minFrames < 1) {
            throw new IllegalArgumentException("--min-frames is " + minFrames + ", allowed 1 or more");
        }
    }

    private static void bits(String option, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " is " + value + ", allowed a Jensen-Shannon divergence in"
                    + " bits, 0 < BITS <= 1");
        }
    }
}

package io.edgeloop.trainer.compare;

/** How a candidate model stands against a baseline on the same images. */
public enum Verdict {
    /** Significantly more images right than the baseline. */
    BETTER("better"),
    /** The difference could be chance at the chosen level. */
    NOT_DISTINGUISHABLE("not distinguishable"),
    /** Significantly more images wrong than the baseline. */
    WORSE("worse");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    /** The verdict in words, as printed. */
    public String text() {
        return text;
    }

    /** The verdict of a McNemar test at significance {@code alpha}. */
    public static Verdict of(McNemar test, double alpha) {
        if (test.pValue() >= alpha) {
            return NOT_DISTINGUISHABLE;
        }
        return test.candidateOnly() > test.baselineOnly() ? BETTER : WORSE;
    }
}

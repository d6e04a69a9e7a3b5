package io.edgeloop.trainer.warning;

import io.edgeloop.trainer.train.Evaluation;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a measured accuracy can be trusted: warns when its 95 % {@link AccuracyInterval} is wider than
 * ±{@value #MAX_HALF_WIDTH_POINTS} points or the set has fewer than {@value #MIN_IMAGES} images, and says how many
 * images would narrow it to ±{@value #MAX_HALF_WIDTH_POINTS} points at the accuracy measured.
 */
public final class ValidationCheck {

    /** The widest trustworthy interval, in percentage points either side. */
    public static final int MAX_HALF_WIDTH_POINTS = 5;
    /** Fewer images than this are too few whatever the interval says. */
    public static final int MIN_IMAGES = 30;

    private ValidationCheck() {
    }

    /**
     * The warning for a run's validation, or for {@code trainer evaluate}'s set.
     *
     * @param evaluation the evaluation; empty when the run had no validation images
     * @param setName    what the images are called in the message ("validation", "evaluation")
     * @param advice     what to do, in the caller's terms (an option to use)
     */
    public static Optional<RunWarning> check(Optional<Evaluation> evaluation, String setName, String advice) {
        if (evaluation.isEmpty() || evaluation.get().images() == 0) {
            return Optional.of(new RunWarning(WarningCode.NO_VALIDATION, "there are no " + setName + " images: the"
                    + " accuracy of this run is unknown", advice));
        }
        AccuracyInterval interval = AccuracyInterval.of(evaluation.get());
        double maxHalf = MAX_HALF_WIDTH_POINTS / 100.0;
        if (interval.halfWidth() <= maxHalf && interval.images() >= MIN_IMAGES) {
            return Optional.empty();
        }
        int needed = Math.max(MIN_IMAGES, AccuracyInterval.imagesFor(interval.accuracy(), maxHalf));
        return Optional.of(new RunWarning(WarningCode.VALIDATION_TOO_SMALL, String.format(Locale.ROOT,
                "the %s accuracy %.1f %% rests on %d images: its 95 %% interval is %.1f–%.1f %% (±%.1f points), too"
                        + " wide to compare runs or trust the number; about %d %s images would narrow it to ±%d"
                        + " points", setName, 100 * interval.accuracy(), interval.images(), 100 * interval.low(),
                100 * interval.high(), 100 * interval.halfWidth(), needed, setName, MAX_HALF_WIDTH_POINTS),
                advice));
    }
}

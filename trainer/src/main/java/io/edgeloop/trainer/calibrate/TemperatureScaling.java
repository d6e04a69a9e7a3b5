package io.edgeloop.trainer.calibrate;

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one number {@code T > 0}
 * divides every logit before the softmax, chosen to minimise the negative log-likelihood of the true classes on
 * held-out images. It changes no prediction (the argmax stays), only how confident the scores are: {@code T > 1}
 * softens an overconfident model, {@code T < 1} sharpens an underconfident one.
 *
 * <p>The search runs on {@code log T} within [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}]: a scan of
 * {@value #GRID} + 1 evenly spaced points, then golden-section search in the bracket around the best point down to
 * a width of {@value #TOLERANCE} in {@code log T}. The NLL is convex in {@code 1/T}, hence unimodal in
 * {@code log T}, so this finds the minimum; the scan keeps flat stretches (all logits equal, saturated softmax)
 * from misleading it. The result is never worse than {@code T = 1} on the images it was fitted on: when the
 * minimum does not beat {@code T = 1}, or the NLL does not depend on {@code T} at all, {@code T = 1} is kept.
 */
public final class TemperatureScaling {

    /** Lowest temperature searched. */
    public static final double MIN_TEMPERATURE = 0.05;
    /** Highest temperature searched. */
    public static final double MAX_TEMPERATURE = 20;
    /** Intervals of the initial scan over {@code log T}. */
    static final int GRID = 48;
    /** Bracket width in {@code log T} at which the golden-section search stops. */
    static final double TOLERANCE = 1e-4;

    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    private TemperatureScaling() {
    }

    /**
     * The fitted temperature and the NLL it gives.
     *
     * @param temperature the NLL-minimising temperature (1 when nothing beats it)
     * @param nllBefore   mean NLL at {@code T = 1}
     * @param nllAfter    mean NLL at {@code temperature}
     */
    public record Fit(double temperature, double nllBefore, double nllAfter) {
    }

    /** Fits a temperature to the scores; at least one image is needed. */
    public static Fit fit(LabelledScores scores) {
        if (scores.images() == 0) {
            throw new IllegalArgumentException("no images to fit a temperature on, allowed at least 1");
        }
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double[] values = new double[GRID + 1];
        int best = 0;
        double worst = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= GRID; i++) {
            values[i] = scores.nll(Math.exp(lo + (hi - lo) * i / GRID));
            if (values[i] < values[best]) {
                best = i;
            }
            worst = Math.max(worst, values[i]);
        }
        double identity = scores.nll(1);
        if (worst - values[best] <= 1e-12) {
            return new Fit(1, identity, identity); // T does not matter: keep the scores as they are
        }
        double a = lo + (hi - lo) * Math.max(0, best - 1) / GRID;
        double b = lo + (hi - lo) * Math.min(GRID, best + 1) / GRID;
        double c = b - GOLDEN * (b - a);
        double d = a + GOLDEN * (b - a);
        double fc = scores.nll(Math.exp(c));
        double fd = scores.nll(Math.exp(d));
        while (b - a > TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - GOLDEN * (b - a);
                fc = scores.nll(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + GOLDEN * (b - a);
                fd = scores.nll(Math.exp(d));
            }
        }
        double u = (a + b) / 2;
        double fu = scores.nll(Math.exp(u));
        // the scan's best point is a candidate too (the minimum can sit on a bound of the search range)
        double grid = lo + (hi - lo) * best / GRID;
        if (values[best] < fu) {
            u = grid;
            fu = values[best];
        }
        if (!(fu < identity)) {
            return new Fit(1, identity, identity);
        }
        return new Fit(Math.exp(u), identity, fu);
    }
}

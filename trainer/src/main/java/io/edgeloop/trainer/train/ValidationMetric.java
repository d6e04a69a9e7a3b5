package io.edgeloop.trainer.train;

/**
 * What "better" means for early stopping and best-checkpoint selection: higher validation accuracy, ties broken by
 * lower validation loss.
 *
 * @param accuracy validation accuracy 0..1
 * @param loss     validation cross-entropy (no smoothing, no class weights)
 */
public record ValidationMetric(double accuracy, double loss) {

    /** Worse than any real result. */
    public static final ValidationMetric NONE = new ValidationMetric(-1, Double.POSITIVE_INFINITY);

    public boolean betterThan(ValidationMetric other) {
        if (accuracy != other.accuracy) {
            return accuracy > other.accuracy;
        }
        return loss < other.loss;
    }
}

package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;

/**
 * Softmax cross-entropy with label smoothing and optional class weights:
 * {@code loss_i = -Σ_c q_ic log softmax(z_i)_c} with {@code q = (1-ε)·onehot(y_i) + ε/K}, averaged with the weight
 * of each image's true class: {@code Σ w_{y_i} loss_i / Σ w_{y_i}} (PyTorch's weighted "mean" reduction; the
 * smoothing term is weighted by the true class, a simplification of PyTorch's per-class weighting of it).
 */
public final class ClassificationLoss {

    private final int numClasses;
    private final float smoothing;
    private final float[] classWeights;

    /**
     * @param classWeights one weight per class, or empty for unweighted
     */
    public ClassificationLoss(int numClasses, double smoothing, Optional<float[]> classWeights) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses is " + numClasses + ", allowed >= 2");
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing is " + smoothing + ", allowed 0 <= s < 1");
        }
        classWeights.ifPresent(w -> {
            if (w.length != numClasses) {
                throw new IllegalArgumentException("classWeights has " + w.length + " entries, expected " + numClasses);
            }
        });
        this.numClasses = numClasses;
        this.smoothing = (float) smoothing;
        this.classWeights = classWeights.map(float[]::clone).orElse(null);
    }

    /** Plain cross-entropy (no smoothing, no weights): the validation loss. */
    public static ClassificationLoss plain(int numClasses) {
        return new ClassificationLoss(numClasses, 0, Optional.empty());
    }

    /**
     * The weight {@link #compute} divides by for these labels: their number without class weights, else the sum of
     * their true classes' weights. A batch's loss is the sum over any split of it of {@code part loss × part weight /
     * batch weight}, which is how a data-parallel step combines its shards.
     */
    public double weightOf(int[] labels) {
        if (classWeights == null) {
            return labels.length;
        }
        double sum = 0;
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " is outside 0.." + (numClasses - 1));
            }
            sum += classWeights[label];
        }
        return sum;
    }

    /**
     * The scalar loss; its intermediates attach to the logits' manager.
     *
     * @param logits N × K
     * @param labels N class indices (int32)
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot(numClasses).toType(logProbs.getDataType(), false);
        NDArray target = smoothing == 0 ? oneHot : oneHot.mul(1 - smoothing).add(smoothing / numClasses);
        NDArray perImage = target.mul(logProbs).sum(new int[] {1}).neg();
        if (classWeights == null) {
            return perImage.mean();
        }
        NDManager manager = logits.getManager();
        NDArray weights = manager.create(classWeights).toDevice(logits.getDevice(), false);
        NDArray perImageWeight = oneHot.mul(weights).sum(new int[] {1});
        return perImage.mul(perImageWeight).sum().div(perImageWeight.sum());
    }
}

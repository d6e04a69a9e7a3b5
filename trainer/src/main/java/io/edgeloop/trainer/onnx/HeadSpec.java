package io.edgeloop.trainer.onnx;

/**
 * How to replace the classifier head.
 *
 * @param numClasses classes of the new head (at least 2)
 * @param cutAt name of the node whose first output is the feature tensor the new head consumes; {@code null} to find
 *     the old head automatically (the last Gemm or MatMul(+Add) feeding the graph output)
 * @param seed seeds the new head's initial weights (and SCRATCH re-initialisation)
 */
public record HeadSpec(int numClasses, String cutAt, long seed) {

    /** Compact constructor: validates. */
    public HeadSpec {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses is " + numClasses + ", must be at least 2");
        }
        if (cutAt != null && cutAt.isBlank()) {
            throw new IllegalArgumentException("--cut-at is blank, allowed: a node name (or leave it out to"
                    + " find the head automatically)");
        }
    }

    /** Automatic head detection. */
    public static HeadSpec auto(int numClasses, long seed) {
        return new HeadSpec(numClasses, null, seed);
    }
}

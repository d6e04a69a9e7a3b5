package io.edgeloop.trainer.onnx;

import java.util.Objects;

/**
 * How to replace the classifier head.
 *
 * @param numClasses classes of the new head (at least 2)
 * @param cutAt name of the node whose first output is the feature tensor the new head consumes; {@code null} to find
 *     the old head automatically (the last Gemm or MatMul(+Add), or a 1×1-conv head, feeding the graph output)
 * @param seed seeds the new head's initial weights (and SCRATCH re-initialisation)
 * @param pool how the new head reduces a spatial feature map (N × C × H × W) before its linear layer; ignored for
 *     N × F features
 */
public record HeadSpec(int numClasses, String cutAt, long seed, HeadPool pool) {

    /** Compact constructor: validates. */
    public HeadSpec {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses is " + numClasses + ", must be at least 2");
        }
        if (cutAt != null && cutAt.isBlank()) {
            throw new IllegalArgumentException("--cut-at is blank, allowed: a node name (or leave it out to"
                    + " find the head automatically)");
        }
        Objects.requireNonNull(pool, "pool");
    }

    /** With the default pooling, {@link HeadPool#AVG}. */
    public HeadSpec(int numClasses, String cutAt, long seed) {
        this(numClasses, cutAt, seed, HeadPool.AVG);
    }

    /** Automatic head detection, default pooling. */
    public static HeadSpec auto(int numClasses, long seed) {
        return new HeadSpec(numClasses, null, seed);
    }

    /** The same spec with another pooling. */
    public HeadSpec withPool(HeadPool p) {
        return new HeadSpec(numClasses, cutAt, seed, p);
    }
}

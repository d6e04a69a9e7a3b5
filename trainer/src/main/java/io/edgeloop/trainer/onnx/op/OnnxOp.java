package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** One ONNX operator (or a family sharing an implementation) as NDArray operations with gradients. */
public interface OnnxOp {

    /**
     * Runs the node.
     *
     * @param inputs the node's inputs in order; {@code null} where an optional input is omitted
     * @return the node's outputs in order (at least as many as the node names)
     */
    List<NDArray> apply(OpContext ctx, List<NDArray> inputs);

    /**
     * False for inputs that are configuration rather than data (shapes, axes, pads, split sizes): an initializer
     * feeding only such inputs never becomes a trainable parameter.
     */
    default boolean isDataInput(int index) {
        return true;
    }
}

package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Constants for arithmetic inside differentiable paths. DJL 0.33's PyTorch {@code mul(Number)}, {@code add(Number)},
 * {@code div(Number)} … wrap the number in a tensor over a Java direct buffer and close it at once; autograd keeps
 * the tensor for the backward pass, but the buffer is freed by the next garbage collection, so gradients read freed
 * memory (measured here: d(3x)/dx came out as 1.4e-45, 6.9e-41 … after a GC between forward and backward). A clone
 * owns its memory in libtorch and is reference-counted by autograd.
 */
final class ScalarTensor {

    private ScalarTensor() {
    }

    /** A 0-d float32 tensor with {@code value} whose memory libtorch owns. */
    static NDArray of(NDManager manager, float value) {
        try (NDArray javaBacked = manager.create(value)) {
            return javaBacked.duplicate();
        }
    }
}

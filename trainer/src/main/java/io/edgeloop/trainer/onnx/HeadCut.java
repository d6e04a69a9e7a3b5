package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Objects;

/**
 * Where the old classifier head was cut off.
 *
 * @param kind what the old head was: a linear layer, a convolutional head, or a cut at a named node
 * @param featureTensor the tensor the new head consumes (the old head's input, or the cut node's output)
 * @param oldHeadNodes names of the nodes of the old head (Gemm; MatMul and Add; Conv, Relu and the pooling node);
 *     empty for a cut at a node
 * @param found what was found, e.g. "head Gemm node '/fc/Gemm'"
 * @param featureShape the feature tensor's shape as far as known, e.g. "[N, 512, 13, 13]", or "" when unknown
 */
public record HeadCut(Kind kind, String featureTensor, List<String> oldHeadNodes, String found,
        String featureShape) {

    /** What the old head was. */
    public enum Kind {
        /** Gemm, MatMul or MatMul + Add with initializer weights. */
        LINEAR,
        /** Conv (class-count output channels) → optional Relu → global pooling, as SqueezeNet ends. */
        CONV,
        /** No head was looked for: the graph was cut at a named node ({@code --cut-at}). */
        CUT
    }

    /** Compact constructor: copies the list. */
    public HeadCut {
        Objects.requireNonNull(kind, "kind");
        oldHeadNodes = List.copyOf(oldHeadNodes);
        Objects.requireNonNull(featureShape, "featureShape");
    }

    /** How the cut was found, for {@code inspect} and logs: what, then the features and their shape when known. */
    public String description() {
        return found + ", features '" + featureTensor + "'" + (featureShape.isEmpty() ? "" : " " + featureShape);
    }

    /** The same cut with the measured feature shape (batch dim shown as N). */
    public HeadCut withFeatureShape(Shape shape) {
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < shape.dimension(); i++) {
            sb.append(", ").append(shape.get(i));
        }
        return new HeadCut(kind, featureTensor, oldHeadNodes, found, sb.append(']').toString());
    }
}

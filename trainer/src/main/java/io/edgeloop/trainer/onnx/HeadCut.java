package io.edgeloop.trainer.onnx;

import java.util.List;

/**
 * Where the old classifier head was cut off.
 *
 * @param featureTensor the tensor the new head consumes (the old head's input, or the cut node's output)
 * @param oldHeadNodes names of the nodes of the old head (Gemm, or MatMul and Add); empty for a cut at a node
 * @param description how the cut was found, for {@code inspect} and logs
 */
public record HeadCut(String featureTensor, List<String> oldHeadNodes, String description) {

    /** Compact constructor: copies the list. */
    public HeadCut {
        oldHeadNodes = List.copyOf(oldHeadNodes);
    }
}

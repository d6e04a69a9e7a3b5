package io.edgeloop.protocol.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A graph input or output as the ONNX graph declares it.
 *
 * @param name        tensor name
 * @param elementType ONNX element type name, for example {@code FLOAT}; {@code UNDEFINED} if not declared
 * @param rankKnown   whether the graph declares a shape at all
 * @param dims        declared dimensions, {@code -1} where a dimension is symbolic or unknown; empty if the rank
 *                    is unknown
 */
public record TensorInfo(String name, String elementType, boolean rankKnown, List<Long> dims) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        dims = Collections.unmodifiableList(new ArrayList<>(dims));
        if (!rankKnown && !dims.isEmpty()) {
            throw new IllegalArgumentException("dims is " + dims + ", allowed empty when the rank is unknown");
        }
    }

    /** Shape as text, {@code [-1, 3, 224, 224]} or {@code unknown}. */
    public String shapeText() {
        return rankKnown ? dims.toString() : "unknown";
    }
}

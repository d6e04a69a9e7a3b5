package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How the new head turns a spatial feature map (N × C × H × W) into the vector its linear layer consumes. Features
 * that are already N × F pass unchanged whatever the choice; features of another rank are flattened.
 *
 * <ul>
 *   <li>{@link #AVG} (default): global average pooling to N × C, what SqueezeNet's and every modern CNN's own head
 *       does before classifying; exported as {@code GlobalAveragePool} + {@code Flatten}.</li>
 *   <li>{@link #MAX}: global max pooling to N × C; exported as {@code GlobalMaxPool} + {@code Flatten}.</li>
 *   <li>{@link #FLATTEN}: every position is a feature, N × C·H·W (a large layer on a big map); exported as
 *       {@code Flatten}.</li>
 * </ul>
 */
public enum HeadPool {
    /** Global average pooling over H × W. */
    AVG("global average pool", "GlobalAveragePool"),
    /** Global max pooling over H × W. */
    MAX("global max pool", "GlobalMaxPool"),
    /** No pooling: C·H·W features. */
    FLATTEN("flatten", null);

    private final String label;
    private final String onnxOp;

    HeadPool(String label, String onnxOp) {
        this.label = label;
        this.onnxOp = onnxOp;
    }

    /** The pooling that applies to features of {@code shape}: this one for rank 4, {@link #FLATTEN} otherwise. */
    public HeadPool effectiveFor(Shape shape) {
        return shape.dimension() == 4 ? this : FLATTEN;
    }

    /** The head's input shape for features of {@code shape}: N × C when pooling a map, N × (product) otherwise. */
    public Shape pooledShape(Shape shape) {
        HeadPool p = effectiveFor(shape);
        if (p == FLATTEN) {
            return new Shape(shape.get(0), shape.slice(1).size());
        }
        return new Shape(shape.get(0), shape.get(1));
    }

    /** Pools (or flattens) a batch of features to N × F; N × F input is returned as it is. */
    public NDArray apply(NDArray features) {
        Shape s = features.getShape();
        if (s.dimension() == 2) {
            return features;
        }
        HeadPool p = effectiveFor(s);
        if (p == FLATTEN) {
            return features.reshape(s.get(0), -1);
        }
        // the engine's mean(int[]) reduces one axis only (shared/ONNX_OPS.md): flatten H × W into one first
        NDArray positions = features.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        return p == AVG ? positions.mean(new int[] {2}) : positions.max(new int[] {2});
    }

    /** Readable name, e.g. "global average pool". */
    public String label() {
        return label;
    }

    /** The ONNX op that pools in exported graphs; {@code null} for {@link #FLATTEN}. */
    public String onnxOp() {
        return onnxOp;
    }

    /** The option value, e.g. "avg". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

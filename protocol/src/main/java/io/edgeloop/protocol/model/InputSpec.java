package io.edgeloop.protocol.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The classifier's image input as the card declares it: the graph input name and its NCHW shape, with
 * {@code -1} for a dynamic batch size. Channels are always 3 because preprocessing produces 3 channels.
 *
 * @param name  name of the graph input that takes the preprocessed image
 * @param shape {@code [N, 3, H, W]}: N is -1 (dynamic) or at least 1; H and W are at least 1
 */
public record InputSpec(String name, List<Long> shape) {

    private static final String SHAPE_RULE =
            "[N, 3, H, W] with N = -1 (dynamic batch) or >= 1, and H, W >= 1";

    public InputSpec {
        Names.requireText("input.name", name, 256);
        if (shape == null) {
            throw new IllegalArgumentException("input.shape is missing, allowed " + SHAPE_RULE);
        }
        List<Long> copy = Collections.unmodifiableList(new ArrayList<>(shape));
        if (copy.size() != 4 || copy.contains(null) || copy.get(1) != 3
                || !(copy.get(0) == -1 || copy.get(0) >= 1) || copy.get(2) < 1 || copy.get(3) < 1) {
            throw new IllegalArgumentException("input.shape is " + shape + ", allowed " + SHAPE_RULE);
        }
        shape = copy;
    }

    /** A dynamic-batch NCHW input of {@code size × size} RGB/BGR images. */
    public static InputSpec square(String name, int size) {
        return new InputSpec(name, List.of(-1L, 3L, (long) size, (long) size));
    }

    /** Input height (the third dimension). */
    public int height() {
        return Math.toIntExact(shape.get(2));
    }

    /** Input width (the fourth dimension). */
    public int width() {
        return Math.toIntExact(shape.get(3));
    }
}

package io.edgeloop.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * One batch on the host: {@code size × 3 × imageSize × imageSize} floats (NCHW) and the labels. The pixel buffer
 * is reused by the loader two batches later: copy it into an NDArray ({@link #images}) before asking for the
 * batch after next.
 *
 * @param pixels        NCHW floats, position 0, limit = size × 3 × imageSize²
 * @param labels        class index per image
 * @param sampleIndices index of each image in the sample list the batch was drawn from
 * @param imageSize     height and width
 */
public record Batch(FloatBuffer pixels, int[] labels, int[] sampleIndices, int imageSize) {

    public int size() {
        return labels.length;
    }

    /** The images as a float32 NCHW NDArray in the given (per-batch) manager. */
    public NDArray images(NDManager manager) {
        return manager.create(pixels.duplicate().rewind(), new Shape(size(), 3, imageSize, imageSize));
    }

    /** The labels as an int32 vector in the given manager. */
    public NDArray labelArray(NDManager manager) {
        return manager.create(labels);
    }
}

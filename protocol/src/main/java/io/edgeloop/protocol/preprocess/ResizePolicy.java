package io.edgeloop.protocol.preprocess;

/** How an image is resized before the centre crop. */
public enum ResizePolicy {
    /** Scale so the shorter side equals the resize size, keeping the aspect ratio (torchvision {@code Resize(int)}). */
    SHORTER_SIDE,
    /** Scale both sides to the resize size, ignoring the aspect ratio. */
    EXACT,
    /** No resize: the crop is taken from the image as it is. */
    NONE
}

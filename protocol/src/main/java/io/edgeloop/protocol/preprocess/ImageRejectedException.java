package io.edgeloop.protocol.preprocess;

/**
 * An image that cannot be used: empty, truncated, corrupt, not an image, over the limits. The message names the
 * source and the reason; {@link #reason()} lets callers count rejections by kind.
 */
public final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Why an image was rejected; {@code OVER_MEMORY_BUDGET}: decoding it would take more heap than
     * {@link DecodeLimits#maxDecodeMemory()} allows.
     */
    public enum Reason {
        EMPTY, TOO_LARGE, TOO_MANY_PIXELS, UNSUPPORTED_FORMAT, CORRUPT, WRONG_SIZE, OVER_MEMORY_BUDGET
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

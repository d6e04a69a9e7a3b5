package io.edgeloop.trainer.train;

/** The loss became NaN or infinite: training diverged; the message says where and what to change. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}

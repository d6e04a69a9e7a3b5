package io.edgeloop.trainer.data;

/**
 * A dataset that cannot be trained on: missing folder, fewer than two classes, a class without usable images,
 * a validation folder whose classes do not match. The message names the folder and what is allowed.
 */
public final class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.edgeloop.agent.inference;

/** A model file that cannot be run as described: the message names the file and what does not fit. */
public final class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

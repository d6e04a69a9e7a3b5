package io.edgeloop.trainer.labelling;

import java.util.Map;

/**
 * A request the app refuses, with its HTTP status and the JSON body to answer with ({@code error} plus details such as
 * the allowed labels or the other person's answer).
 */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    /** The answer's extra fields; not serialised (an exception of a running server, never stored). */
    private final transient Map<String, Object> details;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    int status() {
        return status;
    }

    Map<String, Object> details() {
        return details;
    }
}

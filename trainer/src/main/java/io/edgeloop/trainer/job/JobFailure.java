package io.edgeloop.trainer.job;

/**
 * A job's work failed for a reason its message explains to the user (a step that timed out, a device that did not
 * take a model): the commands print the message alone and exit with 1.
 */
public class JobFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobFailure(String message) {
        super(message);
    }

    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

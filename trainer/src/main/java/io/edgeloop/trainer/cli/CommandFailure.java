package io.edgeloop.trainer.cli;

/**
 * A command's work failed for a reason its message explains to the user (exit code 1, the message alone on stderr):
 * a broker that stayed unreachable, a deploy the device rejected, a step of the demo that timed out.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

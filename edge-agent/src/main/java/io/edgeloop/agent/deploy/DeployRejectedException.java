package io.edgeloop.agent.deploy;

/** A deploy command refused by the device; the message is the {@code reason} of the {@code rejected} status. */
public final class DeployRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeployRejectedException(String reason) {
        super(reason);
    }

    public DeployRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package io.edgeloop.protocol.signing;

import java.util.Objects;

/**
 * A model file that does not match what its signer stated. {@link #failure()} says which check failed, so a device
 * can report it; the message names the values involved, for example
 * {@code sha256 is 3c3a…, expected 9f86… (file changed after signing)}.
 */
public class VerificationException extends Exception {

    /** Which check failed, in the order they run. */
    public enum Failure {
        /** The file size differs from the signed size. */
        SIZE_MISMATCH,
        /** The file's SHA-256 differs from the signed hash. */
        HASH_MISMATCH,
        /** No trusted key has the signature's key id. */
        UNKNOWN_KEY,
        /** The key given for verification has another key id than the one the signature names. */
        WRONG_KEY,
        /** The Ed25519 signature does not verify with the key. */
        BAD_SIGNATURE
    }

    private final Failure failure;

    public VerificationException(Failure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The check that failed. */
    public Failure failure() {
        return failure;
    }
}

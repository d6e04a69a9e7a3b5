package io.edgeloop.trainer.collect;

import java.util.Objects;

/**
 * A conditional write found the example changed since the writer read it: someone else answered it first. Carries
 * the example as it is now, so the writer can show the other answer instead of overwriting it.
 */
public final class StaleExampleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The example as it is now; not serialised (an exception of a running program, never stored). */
    private final transient InboxEntry current;

    /** The example {@code current} no longer has the version {@code expectedEtag} the writer read. */
    public StaleExampleException(InboxEntry current, String expectedEtag) {
        super("example " + current.sidecar().id() + " changed since it was read (version " + expectedEtag + ", now "
                + current.etag() + (current.sidecar().answered() ? ", answered by " + current.sidecar().labelledBy()
                : "") + ")");
        this.current = Objects.requireNonNull(current, "current");
    }

    /** The example as it is now. */
    public InboxEntry current() {
        return current;
    }
}

package io.edgeloop.trainer.base;

import java.io.IOException;

/**
 * A download failed; the message names the URL, what happened and, where it applies, the partial or rejected file.
 * {@link #kind()} tells a caller which advice fits.
 */
public final class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No connection: DNS failure, refused, no route, connect timeout, proxy failure. */
        UNREACHABLE,
        /** The server answered with an error status (404, 403, 5xx). */
        HTTP_STATUS,
        /** The transfer stopped part-way (stalled or cut): the partial file is kept and a new pull resumes it. */
        INTERRUPTED,
        /** The bytes are not the published ones (size or SHA-256 differ): the file was moved aside. */
        MISMATCH
    }

    private final Kind kind;

    public DownloadException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DownloadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }
}

package io.edgeloop.protocol.signing;

import java.nio.file.Path;

/**
 * A key file that cannot be read or written, is not PEM of the expected kind, or holds a key that is not Ed25519.
 * The message starts with the file (or the source name): {@code keys/deploy.pem: not a PEM ... }.
 */
public class KeyFileException extends Exception {

    private final String source;

    public KeyFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public KeyFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    public KeyFileException(Path file, String problem, Throwable cause) {
        this(String.valueOf(file), problem, cause);
    }

    /** The file or source name concerned. */
    public String source() {
        return source;
    }
}

package io.edgeloop.protocol.tls;

/** A PEM file or TLS setting cannot be used; the message names the setting, the file and the fix. */
public final class PemTlsException extends Exception {

    private static final long serialVersionUID = 1L;

    public PemTlsException(String message) {
        super(message);
    }

    public PemTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.edgeloop.trainer.onnx;

/** An ONNX model that cannot be imported or executed: the message names the file, node or tensor at fault. */
public class OnnxImportException extends RuntimeException {

    /** @param message what is wrong, with the offending node / tensor / value and what is allowed */
    public OnnxImportException(String message) {
        super(message);
    }

    /** @param message what is wrong; {@code cause} the underlying failure */
    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.edgeloop.protocol.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file that cannot be read, is not ONNX, carries an invalid card, or whose card does not match its graph.
 * The message starts with the file: {@code models/a.onnx: not an ONNX model (…)}.
 */
public class ModelPackageException extends Exception {

    private final Path file;

    public ModelPackageException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = Objects.requireNonNull(file, "file");
    }

    public ModelPackageException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The model file concerned. */
    public Path file() {
        return file;
    }
}

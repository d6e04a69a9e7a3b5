package io.edgeloop.protocol.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The committed ONNX fixtures beside {@code make_fixtures.py} in this package's test resources, copied to a
 * directory so they work as files also when read from the protocol test jar (trainer and agent tests).
 */
public final class ModelFixtures {

    /** PyTorch export of a tiny CNN (3 classes, input {@code input [batch, 3, 16, 16]}, output {@code logits}). */
    public static final String TORCH_TINY_CNN = "torch_tiny_cnn.onnx";
    /** The same with weights also listed as graph inputs. */
    public static final String TORCH_TINY_CNN_INIT_INPUTS = "torch_tiny_cnn_init_inputs.onnx";
    /** The same with a model card written by the Python onnx package (labels circle, square, triangle). */
    public static final String TORCH_TINY_CNN_CARD = "torch_tiny_cnn_card.onnx";
    /** Logits PyTorch computes for two fixed inputs (see the file for the inputs). */
    public static final String TORCH_TINY_CNN_EXPECTED = "torch_tiny_cnn.expected.json";

    private ModelFixtures() {
    }

    /** Copies fixture {@code name} into {@code dir} and returns the copy. */
    public static Path copy(String name, Path dir) throws IOException {
        try (InputStream in = ModelFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test fixture " + name + " beside " + ModelFixtures.class.getName());
            }
            Path target = dir.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }
}

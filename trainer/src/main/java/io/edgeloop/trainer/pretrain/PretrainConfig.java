package io.edgeloop.trainer.pretrain;

import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code trainer pretrain} does, validated on construction (errors name the field, the value and what is
 * allowed).
 *
 * @param architecture network family built by {@code trainer.arch}
 * @param width        channel width multiplier
 * @param imageSize    network input side; the 28×28 images are resized (exactly) to it
 * @param epochs       passes over the 36,000 source training images, 1..1000
 * @param batchSize    images per step, 1..4096
 * @param learningRate AdamW learning rate (cosine decay), 0 &lt; lr &lt;= 1
 * @param seed         seeds the initialisation, the shuffles and the head
 * @param idxDir       folder holding the Fashion-MNIST IDX files
 * @param workDir      where the ImageFolder copies of the source task and the training checkpoint go
 * @param outDir       receives {@code model.onnx}
 */
public record PretrainConfig(Architecture architecture, double width, int imageSize, int epochs, int batchSize,
                             double learningRate, long seed, Path idxDir, Path workDir, Path outDir) {

    /** File name of the written base model inside {@code outDir}. */
    public static final String MODEL_FILE = "model.onnx";

    public PretrainConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(idxDir, "idxDir");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(outDir, "outDir");
        // ArchSpec validates width and image size with its own messages
        new ArchSpec(architecture, width, imageSize, 2, seed);
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("epochs is " + epochs + ", allowed 1..1000");
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", allowed 1..4096");
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate is " + learningRate + ", allowed 0 < lr <= 1");
        }
    }

    /** The network to build for the given number of source classes. */
    public ArchSpec archSpec(int classes) {
        return new ArchSpec(architecture, width, imageSize, classes, seed);
    }

    /** The written model file. */
    public Path modelFile() {
        return outDir.resolve(MODEL_FILE);
    }
}

package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.edgeloop.protocol.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the ONNX model of an {@link ArchSpec} and writes it. The model is self-describing: the metadata key
 * {@value #METADATA_KEY} holds {@link ArchSpec#toJson()}; labels and the model card are added later by the trainer.
 *
 * <pre>{@code
 * ModelProto model = ArchitectureOnnx.build(new ArchSpec(Architecture.MOBILENETV2, 0.5, 28, 6, 42));
 * ArchitectureOnnx.write(model, Path.of("base.onnx"));
 * }</pre>
 */
public final class ArchitectureOnnx {

    /** ONNX opset of the generated graphs. */
    public static final int OPSET = 13;
    /** ONNX IR version matching opset 13. */
    public static final int IR_VERSION = 7;
    /** Name of the graph input, float [batch, 3, S, S]. */
    public static final String INPUT_NAME = "input";
    /** Name of the graph output, float [batch, classes]. */
    public static final String OUTPUT_NAME = "logits";
    /** Metadata key of the builder settings (JSON). */
    public static final String METADATA_KEY = "edgeloop.arch";
    /** Producer name written into the model. */
    public static final String PRODUCER = "edgeloop trainer init";

    private ArchitectureOnnx() {
    }

    /** The complete model: graph, opset 13, IR 7, metadata {@value #METADATA_KEY}. */
    public static ModelProto build(ArchSpec spec) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setDocString("edgeloop " + spec.architecture().cliName() + " (width " + spec.width() + ", "
                        + spec.imageSize() + "x" + spec.imageSize() + ", " + spec.classes()
                        + " classes), randomly initialised like torchvision from seed " + spec.seed())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(spec.architecture().buildGraph(spec))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(METADATA_KEY).setValue(spec.toJson()))
                .build();
    }

    /**
     * Writes a model atomically (a temporary file beside the target, then a rename), with the default file
     * permissions (not {@code createTempFile}'s owner-only ones: the model is meant to be read by other tools).
     */
    public static void write(ModelProto model, Path file) throws IOException {
        AtomicFiles.replace(file, model::writeTo);
    }

    /** Number of trainable parameters: the elements of every {@code .weight} and {@code .bias} initializer. */
    public static long parameterCount(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().endsWith(".weight") || t.getName().endsWith(".bias"))
                .mapToLong(t -> t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b))
                .sum();
    }
}

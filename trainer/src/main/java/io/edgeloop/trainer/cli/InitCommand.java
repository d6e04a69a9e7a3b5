package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.warning.BaseWeights;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trainer init}: writes a randomly initialised network as an ONNX model, the starting point for pretraining
 * edgeloop's own base model. The file is marked {@code edgeloop.weights = random-init} in its ONNX metadata, so that
 * {@code fit} can warn a user who takes it for a pretrained base. Exit code 0 on success, 1 when the file cannot be
 * written, 2 on bad options (the message names the option, the value and what is allowed).
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised CNN (torchvision's architecture and init) as an ONNX model.")
public final class InitCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", required = true, converter = ArchitectureConverter.class, paramLabel = "ARCH",
            description = "mobilenetv2, resnet18 or simplecnn.")
    private Architecture architecture;

    @Option(names = "--width", defaultValue = "1.0", paramLabel = "W",
            description = "Channel width multiplier, 0.1 to 4.0. Default: ${DEFAULT-VALUE}.")
    private double width;

    @Option(names = "--image-size", defaultValue = "224", paramLabel = "S",
            description = "Input height and width in pixels, 8 to 2048. Default: ${DEFAULT-VALUE}.")
    private int imageSize;

    @Option(names = "--classes", required = true, paramLabel = "N",
            description = "Number of output classes, 2 to 100000.")
    private int classes;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
            description = "Seed of the random initialisation. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--out", required = true, paramLabel = "MODEL.onnx", description = "Output ONNX file.")
    private Path out;


    @Override
    public Integer call() {
        check("--width", Double.toString(width), width >= ArchSpec.MIN_WIDTH && width <= ArchSpec.MAX_WIDTH,
                ArchSpec.MIN_WIDTH + " to " + ArchSpec.MAX_WIDTH);
        check("--image-size", Integer.toString(imageSize),
                imageSize >= ArchSpec.MIN_IMAGE_SIZE && imageSize <= ArchSpec.MAX_IMAGE_SIZE,
                ArchSpec.MIN_IMAGE_SIZE + " to " + ArchSpec.MAX_IMAGE_SIZE);
        check("--classes", Integer.toString(classes),
                classes >= ArchSpec.MIN_CLASSES && classes <= ArchSpec.MAX_CLASSES,
                ArchSpec.MIN_CLASSES + " to " + ArchSpec.MAX_CLASSES);
        ArchSpec archSpec = new ArchSpec(architecture, width, imageSize, classes, seed);
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            ModelProto model = ArchitectureOnnx.build(archSpec).toBuilder()
                    .addMetadataProps(StringStringEntryProto.newBuilder().setKey(BaseWeights.MARKER_KEY)
                            .setValue(BaseWeights.RANDOM_INIT))
                    .build();
            ArchitectureOnnx.write(model, out);
            stdout.printf("Wrote %s: %s, %,d parameters, input %s [batch, 3, %d, %d], output %s [batch, %d]%n",
                    out, archSpec.toJson(), ArchitectureOnnx.parameterCount(model), ArchitectureOnnx.INPUT_NAME,
                    imageSize, imageSize, ArchitectureOnnx.OUTPUT_NAME, classes);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            PrintWriter stderr = spec.commandLine().getErr();
            stderr.println("trainer init: cannot write " + out + ": " + e);
            stderr.flush();
            return 1;
        }
    }

    private void check(String option, String value, boolean ok, String allowed) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + value + " (allowed " + allowed + ")");
        }
    }

    /** Parses {@code --arch}; the error lists the allowed names. */
    static final class ArchitectureConverter implements ITypeConverter<Architecture> {
        @Override
        public Architecture convert(String value) {
            try {
                return Architecture.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.GraphProto;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The architectures {@code trainer init} can build, each with the builder that writes its ONNX graph. */
public enum Architecture {
    /** torchvision's MobileNetV2 (inverted residuals, ReLU6); 3,504,872 parameters at width 1.0 / 1000 classes. */
    MOBILENETV2(MobileNetV2Graph::build),
    /** torchvision's ResNet18 (basic blocks); 11,689,512 parameters at width 1.0 / 1000 classes. */
    RESNET18(ResNet18Graph::build),
    /** A small plain CNN for small images: four conv-BN-ReLU stages with max pooling. */
    SIMPLECNN(SimpleCnnGraph::build);

    private final Function<ArchSpec, GraphProto> builder;

    Architecture(Function<ArchSpec, GraphProto> builder) {
        this.builder = builder;
    }

    /** Name as used on the command line and in the model's metadata: {@code mobilenetv2} … */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    GraphProto buildGraph(ArchSpec spec) {
        return builder.apply(spec);
    }

    /** Parses a command-line name, case-insensitively; the error lists the allowed names. */
    public static Architecture parse(String text) {
        for (Architecture a : values()) {
            if (a.cliName().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("architecture '" + text + "' is not one of " + names());
    }

    /** The allowed names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Architecture::cliName).collect(Collectors.joining(", "));
    }
}

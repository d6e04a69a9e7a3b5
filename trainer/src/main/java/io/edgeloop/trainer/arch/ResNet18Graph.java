package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.GraphProto;

/**
 * torchvision's {@code resnet18(num_classes=N)} as an ONNX graph, module for module: 7×7 stride-2 stem with max
 * pooling, four stages of two basic blocks (a 1×1 conv + BN {@code downsample} where the shape changes), global
 * average pooling and {@code fc}. Width W scales every stage's channels (64·W, 128·W, 256·W, 512·W rounded to
 * multiples of 8; torchvision itself has no width option for basic blocks, W = 1 is its network).
 */
final class ResNet18Graph {

    private ResNet18Graph() {
    }

    static GraphProto build(ArchSpec spec) {
        GraphBuilder g = new GraphBuilder("resnet18", spec.seed());
        int stem = Channels.scaled(64, spec.width());
        String x = g.input(ArchitectureOnnx.INPUT_NAME, 3, spec.imageSize());
        x = g.conv("conv1", x, 3, stem, 7, 2, 3, 1);
        x = g.batchNorm("bn1", x, stem);
        x = g.relu("relu", x);
        x = g.maxPool("maxpool", x, 3, 2, 1);
        int in = stem;
        for (int stage = 0; stage < 4; stage++) {
            int planes = Channels.scaled(64 << stage, spec.width());
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(g, "layer" + (stage + 1) + "." + block, x, in, planes, stride);
                in = planes;
            }
        }
        x = g.globalAveragePool("avgpool", x);
        x = g.flatten("flatten", x);
        x = g.linear("fc", x, in, spec.classes(), WeightInit.LINEAR_DEFAULT_UNIFORM);
        return g.finish(x, ArchitectureOnnx.OUTPUT_NAME, spec.classes());
    }

    private static String basicBlock(GraphBuilder g, String name, String input, int in, int planes, int stride) {
        String x = g.conv(name + ".conv1", input, in, planes, 3, stride, 1, 1);
        x = g.batchNorm(name + ".bn1", x, planes);
        x = g.relu(name + ".relu1", x);
        x = g.conv(name + ".conv2", x, planes, planes, 3, 1, 1, 1);
        x = g.batchNorm(name + ".bn2", x, planes);
        String identity = input;
        if (stride != 1 || in != planes) {
            identity = g.conv(name + ".downsample.0", input, in, planes, 1, stride, 0, 1);
            identity = g.batchNorm(name + ".downsample.1", identity, planes);
        }
        x = g.add(name + ".add", x, identity);
        return g.relu(name + ".relu2", x);
    }
}

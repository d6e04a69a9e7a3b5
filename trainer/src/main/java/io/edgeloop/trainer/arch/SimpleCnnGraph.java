package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.GraphProto;

/**
 * A small plain CNN for small images such as Fashion-MNIST's 28×28, fast enough to pretrain on a CPU: four stages
 * of 3×3 conv + BN + ReLU with 32·W, 64·W, 128·W, 256·W channels, 2×2 max pooling after the first three,
 * global average pooling and a Linear classifier. Initialised like MobileNetV2 (Kaiming fan-out convs, classifier
 * normal(0, 0.01)). Modules are numbered like an {@code nn.Sequential}: {@code features.0} conv,
 * {@code features.1} BN, {@code features.2} ReLU, {@code features.3} max pool, … then {@code classifier}.
 */
final class SimpleCnnGraph {

    private static final int[] CHANNELS = {32, 64, 128, 256};

    private SimpleCnnGraph() {
    }

    static GraphProto build(ArchSpec spec) {
        GraphBuilder g = new GraphBuilder("simplecnn", spec.seed());
        String x = g.input(ArchitectureOnnx.INPUT_NAME, 3, spec.imageSize());
        int in = 3;
        int index = 0;
        for (int stage = 0; stage < CHANNELS.length; stage++) {
            int out = Channels.scaled(CHANNELS[stage], spec.width());
            x = g.conv("features." + index++, x, in, out, 3, 1, 1, 1);
            x = g.batchNorm("features." + index++, x, out);
            x = g.relu("features." + index++, x);
            if (stage < CHANNELS.length - 1) {
                x = g.maxPool("features." + index++, x, 2, 2, 0);
            }
            in = out;
        }
        x = g.globalAveragePool("avgpool", x);
        x = g.flatten("flatten", x);
        x = g.linear("classifier", x, in, spec.classes(), WeightInit.NORMAL_0_01);
        return g.finish(x, ArchitectureOnnx.OUTPUT_NAME, spec.classes());
    }
}

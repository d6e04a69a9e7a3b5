package io.edgeloop.trainer.arch;

import ai.onnx.proto.OnnxMl.GraphProto;

/**
 * torchvision's {@code mobilenet_v2(width_mult=W, num_classes=N)} as an ONNX graph, module for module: a stride-2
 * 3×3 stem, 17 inverted-residual blocks, a 1×1 conv to 1280×max(1, W) channels, global average pooling and a
 * Linear classifier ({@code classifier.1}; the Dropout before it is the identity at inference and not exported).
 */
final class MobileNetV2Graph {

    /** torchvision's inverted_residual_setting: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private MobileNetV2Graph() {
    }

    static GraphProto build(ArchSpec spec) {
        GraphBuilder g = new GraphBuilder("mobilenetv2", spec.seed());
        int in = Channels.scaled(32, spec.width());
        int last = Channels.makeDivisible(1280 * Math.max(1.0, spec.width()), Channels.DIVISOR);
        String x = g.input(ArchitectureOnnx.INPUT_NAME, 3, spec.imageSize());
        x = convBnRelu6(g, "features.0", x, 3, in, 3, 2, 1);
        int index = 1;
        for (int[] row : SETTING) {
            int out = Channels.scaled(row[1], spec.width());
            for (int i = 0; i < row[2]; i++) {
                x = invertedResidual(g, "features." + index, x, in, out, i == 0 ? row[3] : 1, row[0]);
                in = out;
                index++;
            }
        }
        x = convBnRelu6(g, "features." + index, x, in, last, 1, 1, 1);
        x = g.globalAveragePool("avgpool", x);
        x = g.flatten("flatten", x);
        x = g.linear("classifier.1", x, last, spec.classes(), WeightInit.NORMAL_0_01);
        return g.finish(x, ArchitectureOnnx.OUTPUT_NAME, spec.classes());
    }

    private static String invertedResidual(GraphBuilder g, String name, String input, int in, int out, int stride,
            int expand) {
        int hidden = in * expand;
        String x = input;
        int layer = 0;
        if (expand != 1) {
            x = convBnRelu6(g, name + ".conv." + layer++, x, in, hidden, 1, 1, 1);
        }
        x = convBnRelu6(g, name + ".conv." + layer++, x, hidden, hidden, 3, stride, hidden);
        x = g.conv(name + ".conv." + layer++, x, hidden, out, 1, 1, 0, 1);
        x = g.batchNorm(name + ".conv." + layer, x, out);
        if (stride == 1 && in == out) {
            x = g.add(name + ".add", input, x);
        }
        return x;
    }

    /** torchvision's Conv2dNormActivation with ReLU6: submodules {@code .0} conv, {@code .1} BN, {@code .2} act. */
    private static String convBnRelu6(GraphBuilder g, String name, String x, int in, int out, int kernel,
            int stride, int groups) {
        x = g.conv(name + ".0", x, in, out, kernel, stride, (kernel - 1) / 2, groups);
        x = g.batchNorm(name + ".1", x, out);
        return g.relu6(name + ".2", x);
    }
}

#!/usr/bin/python3
"""Generates a Caffe2-era SqueezeNet 1.0 stand-in (squeezenet1.0-7/8 of the ONNX Model Zoo), which cannot be
downloaded here, for the importer's convolutional-head detection.

Run with Debian's interpreter (python3-onnx 1.12, numpy):

    /usr/bin/python3 trainer/src/test/python/make_conv_head_fixtures.py

Writes resources/onnx/arch/caffe2_squeezenet1_0_op7.onnx, built with onnx.helper as the Caffe2 converter wrote
those files: IR 3 with every initializer also listed as a graph input, opset 7, unnamed nodes, Caffe2 tensor names
(conv1_1, fire2/squeeze1x1_1, ..., softmaxout_1), a static batch of 1, MaxPool-1 with ceil pooling spelled as end
pads [0, 0, 1, 1], Fire modules (1x1 squeeze, 1x1 and 3x3 expand, Concat), Dropout-7 with a 'ratio' attribute, and
the 1x1-conv head: conv10 -> Relu -> GlobalAveragePool -> Softmax on axis 1 of the 4-D tensor, output [1, C, 1, 1].
Widths are reduced (64x64 input, 10 classes). Seeded with its own generator: re-running writes the same file, and
the other fixture scripts are not disturbed.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ARCH = os.path.join(HERE, "..", "resources", "onnx", "arch")
RNG = np.random.default_rng(1010)


class Caffe2Graph:
    """Unnamed nodes whose outputs carry Caffe2 blob names; initializers named <layer>_w_0 / <layer>_b_0."""

    def __init__(self):
        self.nodes = []
        self.inits = []

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr, np.float32), name))
        return name

    def node(self, op, inputs, out, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))  # no name, as in the zoo's Caffe2 files
        return out

    def conv_relu(self, x, layer, cin, cout, k, stride=1, pad=0, relu=True):
        w = self.const(layer + "_w_0", RNG.standard_normal((cout, cin, k, k)) * (2.0 / (cin * k * k)) ** 0.5)
        b = self.const(layer + "_b_0", 0.1 * RNG.standard_normal(cout))
        y = self.node("Conv", [x, w, b], layer + "_1", kernel_shape=[k, k], strides=[stride, stride],
                      pads=[pad] * 4, dilations=[1, 1], group=1)
        return self.node("Relu", [y], layer + "_2") if relu else y

    def fire(self, x, name, cin, squeeze, expand):
        s = self.conv_relu(x, name + "/squeeze1x1", cin, squeeze, 1)
        e1 = self.conv_relu(s, name + "/expand1x1", squeeze, expand, 1)
        e3 = self.conv_relu(s, name + "/expand3x3", squeeze, expand, 3, pad=1)
        return self.node("Concat", [e1, e3], name + "/concat_1", axis=1)


def caffe2_squeezenet1_0(classes=10):
    g = Caffe2Graph()
    x = g.conv_relu("data_0", "conv1", 3, 16, 7, stride=2)                    # 64 -> 29
    x = g.node("MaxPool", [x], "pool1_1", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])  # -> 14
    x = g.fire(x, "fire2", 16, 4, 8)
    x = g.fire(x, "fire3", 16, 4, 8)
    x = g.fire(x, "fire4", 16, 8, 16)
    x = g.node("MaxPool", [x], "pool4_1", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])  # -> 7
    x = g.fire(x, "fire5", 32, 8, 16)
    x = g.fire(x, "fire6", 32, 8, 24)                                          # 48 channels, 7x7
    x = g.node("Dropout", [x], "fire9/concat_2", ratio=0.5)
    x = g.conv_relu(x, "conv10", 48, classes, 1)
    x = g.node("GlobalAveragePool", [x], "pool10_1")
    g.node("Softmax", [x], "softmaxout_1")                                     # opset 7: axis 1, coerced to 2-D
    inputs = [helper.make_tensor_value_info("data_0", TensorProto.FLOAT, [1, 3, 64, 64])]
    inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in g.inits]
    outputs = [helper.make_tensor_value_info("softmaxout_1", TensorProto.FLOAT, [1, classes, 1, 1])]
    graph = helper.make_graph(g.nodes, "squeezenet", inputs, outputs, initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 7)], producer_name="onnx-caffe2")
    model.ir_version = 3
    return model


def save(model, name):
    onnx.checker.check_model(model)
    path = os.path.join(ARCH, name + ".onnx")
    onnx.save(model, path)
    print("%-40s opset %2d %8d bytes" % (name, model.opset_import[0].version, os.path.getsize(path)))


if __name__ == "__main__":
    os.makedirs(ARCH, exist_ok=True)
    save(caffe2_squeezenet1_0(), "caffe2_squeezenet1_0_op7")

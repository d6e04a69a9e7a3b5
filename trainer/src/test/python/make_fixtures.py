#!/usr/bin/python3
"""Generates the ONNX fixtures the importer tests use.

Run from anywhere with Debian's interpreter (python3-torch, python3-torchvision, python3-onnx):

    /usr/bin/python3 trainer/src/test/python/make_fixtures.py

Writes
  resources/onnx/arch/<name>.onnx  real torchvision architectures (random weights, reduced widths, small inputs),
                                   exported with torch.onnx.export at opsets 11, 13, 17, static or dynamic batch,
                                   BatchNorm folded (eval) or preserved (TrainingMode.PRESERVE, no constant folding);
  resources/onnx/ops/<name>.onnx   single-node graphs (onnx.helper) for every supported operator.
Everything is seeded: re-running produces the same weights.
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import TensorProto, helper, numpy_helper
from torchvision.models import resnet as tv_resnet
import importlib
tv_googlenet = importlib.import_module("torchvision.models.googlenet")
tv_squeezenet = importlib.import_module("torchvision.models.squeezenet")
from torchvision.models import efficientnet as tv_efficientnet
from torchvision.models import regnet as tv_regnet
from torchvision.models import convnext as tv_convnext
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "resources", "onnx")
ARCH = os.path.join(RES, "arch")
OPS = os.path.join(RES, "ops")


# ---------------------------------------------------------------- architectures

def randomise_norms(model, seed):
    """Random BatchNorm/LayerNorm affine params and running stats, so folding and BN semantics are exercised."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(c, generator=g))
                m.bias.copy_(0.2 * torch.randn(c, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
                m.running_var.copy_(0.5 + torch.rand(c, generator=g))
        elif isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=g))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=g))
    return model


class TinyResNet18(tv_resnet.ResNet):
    """torchvision's ResNet-18 topology (BasicBlock, [2, 2, 2, 2]) at 1/16 of the width."""

    def __init__(self, num_classes=10):
        super().__init__(tv_resnet.BasicBlock, [2, 2, 2, 2], num_classes=num_classes)
        w = 4
        self.inplanes = w
        self.conv1 = nn.Conv2d(3, w, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(w)
        self.layer1 = self._make_layer(tv_resnet.BasicBlock, w, 2)
        self.layer2 = self._make_layer(tv_resnet.BasicBlock, 2 * w, 2, stride=2)
        self.layer3 = self._make_layer(tv_resnet.BasicBlock, 4 * w, 2, stride=2)
        self.layer4 = self._make_layer(tv_resnet.BasicBlock, 8 * w, 2, stride=2)
        self.fc = nn.Linear(8 * w, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


class TinyGoogLeNet(nn.Module):
    """GoogLeNet's stem and torchvision's own Inception blocks at reduced width (the full net is 6.6 M weights)."""

    def __init__(self, num_classes=10):
        super().__init__()
        C = tv_googlenet.BasicConv2d
        self.conv1 = C(3, 16, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = C(16, 16, kernel_size=1)
        self.conv3 = C(16, 24, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = tv_googlenet.Inception(24, 8, 12, 16, 4, 8, 8)
        self.inception3b = tv_googlenet.Inception(40, 16, 16, 24, 4, 12, 8)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = tv_googlenet.Inception(60, 24, 12, 26, 4, 8, 8)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(66, num_classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(self.dropout(x))


def tiny_efficientnet(num_classes=10):
    settings, last = tv_efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.25)
    return tv_efficientnet.EfficientNet(settings, 0.2, last_channel=128, num_classes=num_classes)


class TinySqueezeNet(nn.Module):
    """SqueezeNet 1.1's topology built from torchvision's Fire modules at 1/4 width. Its head is a 1x1 Conv, ReLU and
    global pooling (no Gemm): the importer must be told where to cut."""

    def __init__(self, num_classes=10):
        super().__init__()
        Fire = tv_squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            Fire(16, 4, 16, 16), Fire(32, 4, 16, 16),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            Fire(32, 8, 32, 32), Fire(64, 8, 32, 32),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            Fire(64, 12, 48, 48), Fire(96, 12, 48, 48), Fire(96, 16, 64, 64), Fire(128, 16, 64, 64))
        self.classifier = nn.Sequential(nn.Dropout(p=0.5), nn.Conv2d(128, num_classes, kernel_size=1),
                                        nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


def tiny_mnasnet(num_classes=10):
    m = torchvision.models.MNASNet(0.25, num_classes=num_classes)
    # the fixed 1280-channel last conv dominates the file: shrink it to 128 (same structure)
    m.layers[14] = nn.Conv2d(m.layers[14].in_channels, 128, 1, padding=0, stride=1, bias=False)
    m.layers[15] = nn.BatchNorm2d(128)
    m.classifier[1] = nn.Linear(128, num_classes)
    return m


def tiny_regnet(num_classes=10):
    params = tv_regnet.BlockParams.from_init_params(depth=6, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    return tv_regnet.RegNet(params, num_classes=num_classes)


def tiny_convnext(num_classes=10):
    S = tv_convnext.CNBlockConfig
    setting = [S(16, 32, 1), S(32, 64, 1), S(64, None, 1)]
    return tv_convnext.ConvNeXt(setting, stochastic_depth_prob=0.1, num_classes=num_classes)


def _mobilenet_v2_small(num_classes=10):
    # torchvision's MobileNetV2 class with its inverted residual blocks; a shortened setting keeps the file small
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2], [6, 64, 1, 2], [6, 96, 1, 1]]
    return torchvision.models.MobileNetV2(num_classes=num_classes, width_mult=0.25,
                                          inverted_residual_setting=setting)


def tiny_mobilenet_v3(num_classes=10):
    from torchvision.models import mobilenetv3 as mv3
    settings, last = mv3._mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.25)
    return mv3.MobileNetV3(settings, 128, num_classes=num_classes)  # last_channel 1024 → 128 keeps the file small


ARCHS = {
    # name: (constructor, input size)
    "resnet18": (TinyResNet18, 64),
    "mobilenet_v2": (_mobilenet_v2_small, 64),
    "mobilenet_v3_small": (tiny_mobilenet_v3, 64),
    "squeezenet1_1": (TinySqueezeNet, 64),
    "shufflenet_v2": (lambda: torchvision.models.ShuffleNetV2([2, 2, 2], [12, 24, 48, 96, 128], num_classes=10), 64),
    "mnasnet": (tiny_mnasnet, 64),
    "efficientnet": (tiny_efficientnet, 64),
    "densenet": (lambda: torchvision.models.DenseNet(growth_rate=8, block_config=(2, 2, 2, 2),
                                                   num_init_features=16, bn_size=2, num_classes=10), 64),
    "googlenet": (TinyGoogLeNet, 64),
    "regnet": (tiny_regnet, 64),
    "convnext": (tiny_convnext, 64),
}

# (arch, opset, dynamic batch, BatchNorm preserved)
VARIANTS = [
    ("resnet18", 11, False, False), ("resnet18", 13, True, True), ("resnet18", 17, True, False),
    ("mobilenet_v2", 11, True, False), ("mobilenet_v2", 13, False, False), ("mobilenet_v2", 17, True, True),
    ("mobilenet_v3_small", 11, True, False), ("mobilenet_v3_small", 17, True, True),
    ("squeezenet1_1", 11, True, False), ("squeezenet1_1", 17, False, False),
    ("shufflenet_v2", 11, False, False), ("shufflenet_v2", 13, True, True),
    ("mnasnet", 13, True, False),
    ("efficientnet", 13, True, False), ("efficientnet", 17, True, True),
    ("densenet", 11, True, True), ("densenet", 17, False, False),
    ("googlenet", 13, True, False),
    ("regnet", 17, True, False),
    ("convnext", 13, True, False), ("convnext", 17, True, False),
]


def export_arch(name, opset, dynamic, preserve_bn):
    ctor, size = ARCHS[name]
    torch.manual_seed(7)
    model = randomise_norms(ctor(), 11).eval()
    x = torch.randn(2, 3, size, size)
    fname = "%s_op%d_%s_%s.onnx" % (name, opset, "dyn" if dynamic else "static", "bn" if preserve_bn else "fold")
    path = os.path.join(ARCH, fname)
    kwargs = dict(opset_version=opset, input_names=["input"], output_names=["output"])
    if dynamic:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
    if preserve_bn:
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
        kwargs["do_constant_folding"] = False
    torch.onnx.export(model, x if dynamic else x[:1], path, **kwargs)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    print("%-48s %8d bytes  %s" % (fname, os.path.getsize(path), " ".join(ops)))


# ---------------------------------------------------------------- single-op graphs

RNG = np.random.default_rng(1234)
F = TensorProto.FLOAT
I64 = TensorProto.INT64


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def single(name, op, inputs, output_shape, initializers=(), opset=13, n_outputs=1, **attrs):
    """inputs: list of (name, shape) graph inputs (float32). Node inputs are the graph inputs then initializers,
    unless attrs contains _node_inputs."""
    node_inputs = attrs.pop("_node_inputs", None)
    if node_inputs is None:
        node_inputs = [i[0] for i in inputs] + [t.name for t in initializers]
    outs = ["y"] if n_outputs == 1 else ["y%d" % i for i in range(n_outputs)]
    node = helper.make_node(op, node_inputs, outs, name=name + "_node", **attrs)
    g_inputs = [helper.make_tensor_value_info(n, F, s) for n, s in inputs]
    g_outputs = [helper.make_tensor_value_info(o, F if op not in ("Shape",) else I64, None) for o in outs]
    graph = helper.make_graph([node], name, g_inputs, g_outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="edgeloop-fixtures")
    model.ir_version = 8
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OPS, name + ".onnx"))


def make_ops():
    X = [1, 4, 9, 9]
    xin = [("x", [2, 4, 9, 9])]
    single("conv_basic", "Conv", xin, None, [init("w", rand(6, 4, 3, 3)), init("b", rand(6))], pads=[1, 1, 1, 1])
    single("conv_asym_stride", "Conv", xin, None, [init("w", rand(6, 4, 3, 3))], pads=[0, 1, 2, 1], strides=[2, 2])
    single("conv_group_dil", "Conv", xin, None, [init("w", rand(8, 2, 3, 3)), init("b", rand(8))], group=2,
           dilations=[2, 2], pads=[2, 2, 2, 2])
    single("conv_depthwise", "Conv", xin, None, [init("w", rand(4, 1, 3, 3))], group=4, strides=[2, 2],
           pads=[1, 1, 1, 1])
    single("conv_autopad", "Conv", xin, None, [init("w", rand(6, 4, 3, 3))], auto_pad="SAME_UPPER", strides=[2, 2])
    single("maxpool_basic", "MaxPool", xin, None, kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    single("maxpool_ceil", "MaxPool", xin, None, kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    single("maxpool_asym", "MaxPool", xin, None, kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1])
    single("maxpool_dilated", "MaxPool", xin, None, kernel_shape=[2, 2], strides=[1, 1], dilations=[2, 2], opset=12)
    single("avgpool_cip0", "AveragePool", xin, None, kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    single("avgpool_cip1", "AveragePool", xin, None, kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
           count_include_pad=1)
    single("avgpool_ceil_cip1", "AveragePool", xin, None, kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1,
           count_include_pad=1)
    single("avgpool_ceil", "AveragePool", xin, None, kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    single("globalavgpool", "GlobalAveragePool", xin, None)
    single("globalmaxpool", "GlobalMaxPool", xin, None)
    c = 4
    single("batchnorm", "BatchNormalization", xin, None,
           [init("s", 0.5 + RNG.random(c).astype(np.float32)), init("bb", rand(c)), init("m", rand(c)),
            init("v", 0.5 + RNG.random(c).astype(np.float32))], epsilon=1e-3, momentum=0.8)
    single("gemm_transb", "Gemm", [("a", [3, 5])], None, [init("w", rand(4, 5)), init("c", rand(4))], transB=1)
    single("gemm_alpha_beta", "Gemm", [("a", [5, 3])], None, [init("w", rand(5, 4)), init("c", rand(1, 4))],
           transA=1, alpha=0.5, beta=2.0)
    single("gemm_no_bias", "Gemm", [("a", [3, 5])], None, [init("w", rand(5, 4))])
    single("matmul", "MatMul", [("a", [2, 3, 5])], None, [init("w", rand(5, 4))])
    single("add_broadcast", "Add", xin, None, [init("b", rand(4, 1, 1))])
    single("sub", "Sub", xin, None, [init("b", rand(1, 9))])
    single("mul", "Mul", xin, None, [init("b", rand(4, 1, 1))])
    single("div", "Div", xin, None, [init("b", 1.5 + RNG.random((4, 1, 1)).astype(np.float32))])
    single("pow", "Pow", [("x", [2, 4, 9, 9])], None, [init("p", np.array(2.0, dtype=np.float32))])
    single("sqrt", "Sqrt", [("x", [2, 4, 9, 9])], None)
    for a in ("Relu", "Sigmoid", "Tanh", "Erf", "Exp", "Neg", "Abs"):
        single(a.lower(), a, xin, None)
    single("hardsigmoid", "HardSigmoid", xin, None, alpha=1.0 / 6, beta=0.5)
    single("hardswish", "HardSwish", xin, None, opset=14)
    single("clip_inputs", "Clip", xin, None, [init("lo", np.array(-0.5, np.float32)),
                                               init("hi", np.array(0.7, np.float32))], opset=11)
    single("clip_max_only", "Clip", xin, None, _node_inputs=["x", "", "hi"],
           initializers=[init("hi", np.array(6.0, np.float32))], opset=13)
    single("clip_attrs", "Clip", xin, None, min=0.0, max=6.0, opset=10)
    single("concat", "Concat", [("x", [2, 4, 9, 9]), ("z", [2, 3, 9, 9])], None, axis=1)
    single("flatten", "Flatten", xin, None, axis=1)
    single("flatten_axis2", "Flatten", xin, None, axis=2)
    single("reshape", "Reshape", xin, None, [init("shape", np.array([0, -1, 9], np.int64))])
    single("transpose", "Transpose", xin, None, perm=[0, 2, 3, 1])
    single("softmax_op11", "Softmax", [("x", [2, 3, 4])], None, axis=1, opset=11)
    single("softmax_op13", "Softmax", [("x", [2, 3, 4])], None, axis=1, opset=13)
    single("logsoftmax", "LogSoftmax", [("x", [2, 5])], None, axis=1, opset=13)
    single("pad_constant", "Pad", xin, None, [init("pads", np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)),
                                              init("v", np.array(0.5, np.float32))], mode="constant", opset=11)
    single("pad_reflect", "Pad", xin, None, [init("pads", np.array([0, 0, 2, 1, 0, 0, 1, 2], np.int64))],
           mode="reflect", opset=13)
    single("pad_edge", "Pad", xin, None, [init("pads", np.array([0, 0, 1, 0, 0, 0, 2, 3], np.int64))],
           mode="edge", opset=13)
    single("pad_negative", "Pad", xin, None, [init("pads", np.array([0, 0, -1, 2, 0, 0, 1, -2], np.int64))],
           mode="constant", opset=13)
    single("slice", "Slice", xin, None, [init("st", np.array([1, -7], np.int64)),
                                         init("en", np.array([9223372036854775807, 8], np.int64)),
                                         init("ax", np.array([2, 3], np.int64)),
                                         init("sp", np.array([2, 1], np.int64))])
    single("slice_negstep", "Slice", xin, None, [init("st", np.array([-1], np.int64)),
                                                 init("en", np.array([-9223372036854775807], np.int64)),
                                                 init("ax", np.array([1], np.int64)),
                                                 init("sp", np.array([-2], np.int64))])
    single("gather_scalar", "Gather", xin, None, [init("i", np.array(2, np.int64))], axis=1)
    single("gather_vector", "Gather", xin, None, [init("i", np.array([3, 0, -1], np.int64))], axis=2)
    single("unsqueeze_op11", "Unsqueeze", [("x", [2, 4, 9])], None, axes=[0, -1], opset=11)
    single("unsqueeze_op13", "Unsqueeze", [("x", [2, 4, 9])], None, [init("ax", np.array([1], np.int64))])
    single("squeeze_op13", "Squeeze", [("x", [2, 1, 9, 1])], None, [init("ax", np.array([3], np.int64))])
    single("squeeze_op11", "Squeeze", [("x", [2, 1, 9, 1])], None, axes=[1], opset=11)
    single("reducemean", "ReduceMean", xin, None, axes=[2, 3], keepdims=1)
    single("reducemean_nokeep", "ReduceMean", xin, None, axes=[-1], keepdims=0)
    single("reducesum", "ReduceSum", xin, None, [init("ax", np.array([1, 3], np.int64))], keepdims=1)
    single("layernorm", "LayerNormalization", [("x", [2, 9, 9, 4])], None,
           [init("g", 0.5 + RNG.random(4).astype(np.float32)), init("b", rand(4))], axis=-1, epsilon=1e-6,
           opset=17)
    single("identity", "Identity", xin, None)
    single("dropout", "Dropout", xin, None, opset=13)
    single("cast", "Cast", xin, None, to=F)
    single("split_op11", "Split", xin, None, axis=1, split=[1, 3], n_outputs=2, opset=11)
    single("split_op13", "Split", xin, None, [init("sp", np.array([2, 2], np.int64))], axis=1, n_outputs=2)
    single("split_equal", "Split", [("x", [2, 6, 5, 5])], None, axis=1, n_outputs=3, opset=13)

    # shape-only subgraph feeding Reshape: x.view(x.size(0), -1) as torch exports it without folding
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Constant", [], ["zero"], name="const0", value=helper.make_tensor("c0", I64, [], [0])),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"], name="unsq"),
        helper.make_node("Constant", [], ["m1"], name="const1", value=helper.make_tensor("c1", I64, [1], [-1])),
        helper.make_node("Concat", ["n1", "m1"], ["shape2"], name="concat", axis=0),
        helper.make_node("Reshape", ["x", "shape2"], ["y"], name="reshape"),
    ]
    graph = helper.make_graph(nodes, "shape_subgraph", [helper.make_tensor_value_info("x", F, ["N", 4, 9, 9])],
                              [helper.make_tensor_value_info("y", F, ["N", 324])],
                              initializer=[init("ax0", np.array([0], np.int64))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OPS, "shape_subgraph.onnx"))

    # Keras/tf2onnx style: NHWC input, Transpose to NCHW, conv, back to NHWC, flatten via Reshape, MatMul + Add head
    w = rand(8, 3, 3, 3)
    nodes = [
        helper.make_node("Transpose", ["input_1"], ["t"], name="model/conv/Conv2D__6", perm=[0, 3, 1, 2]),
        helper.make_node("Conv", ["t", "conv_w", "conv_b"], ["c"], name="model/conv/Conv2D", pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"], name="model/conv/Relu"),
        helper.make_node("Transpose", ["r"], ["rt"], name="model/conv/Relu__8", perm=[0, 2, 3, 1]),
        helper.make_node("ReduceMean", ["rt"], ["gap"], name="model/gap/Mean", axes=[1, 2], keepdims=0),
        helper.make_node("MatMul", ["gap", "dense_w"], ["mm"], name="model/dense/MatMul"),
        helper.make_node("Add", ["mm", "dense_b"], ["logits"], name="model/dense/BiasAdd"),
        helper.make_node("Softmax", ["logits"], ["dense"], name="model/dense/Softmax", axis=1),
    ]
    graph = helper.make_graph(nodes, "keras_nhwc", [helper.make_tensor_value_info("input_1", F, ["unk__1", 16, 16, 3])],
                              [helper.make_tensor_value_info("dense", F, ["unk__1", 5])],
                              initializer=[init("conv_w", w), init("conv_b", rand(8)), init("dense_w", rand(8, 5)),
                                           init("dense_b", rand(5))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tf2onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(ARCH, "keras_nhwc_op13.onnx"))

    # an op the importer does not support, for the error-message test (a recurrent layer: not in CNN classifiers)
    h = 3
    single("unsupported_lstm", "LSTM", [("x", [5, 2, 4])], None,
           [init("W", rand(1, 4 * h, 4)), init("R", rand(1, 4 * h, h))], hidden_size=h)


if __name__ == "__main__":
    os.makedirs(ARCH, exist_ok=True)
    os.makedirs(OPS, exist_ok=True)
    torch.set_num_threads(1)
    make_ops()
    only = sys.argv[1:]
    for v in VARIANTS:
        if not only or v[0] in only:
            export_arch(*v)

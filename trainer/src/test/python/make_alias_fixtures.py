#!/usr/bin/python3
"""Generates the fixtures for aliased and shared initializers (what InitializerUntier undoes).

Run with Debian's interpreter (python3-torch, python3-torchvision, python3-onnx 1.12):

    /usr/bin/python3 trainer/src/test/python/make_alias_fixtures.py

In eval mode torch.onnx.export de-duplicates initializers BY VALUE: freshly initialised BatchNorm layers all have
weight 1, bias 0, running_mean 0, running_var 1, so one tensor ('layer3.0.bn1.weight') ends up as the scale of its
own layer and, through Identity nodes, as the running_var and the scale of every other fresh BN of that width; two
layers built with equal weights share one initializer outright. Writes into resources/onnx/arch/
  alias_resnet18_op13_dyn_bn    torchvision ResNet-18 topology (1/16 width, 64x64), BatchNorm preserved
  alias_densenet_op11_dyn_bn    torchvision DenseNet (growth 8, blocks 2-2-2-2, 64x64), BatchNorm preserved
  alias_mnasnet_op13_dyn_bn     torchvision MNASNet 0.1 (two blocks a stack, last conv 64, 64x64), BatchNorm preserved
                                (in these three every other BatchNorm keeps its fresh statistics: Identity-of-
                                initializer chains into BN scale/shift/mean/var, and initializers shared by several
                                nodes)
  alias_twin_conv_op13_dyn_bn   a small CNN whose two 3x3 convs are built with equal weights and biases and whose
                                BNs are fresh: torch shares the conv weight and bias initializers directly between
                                the two Convs (no Identity)
  alias_shared_conv_weight_op13 onnx.helper: one weight and one bias initializer feeding two Convs directly
  alias_bn_mean_from_bias_op13  onnx.helper: a BN whose running_mean is Identity(the previous conv's bias), a second
                                BN whose scale is a Constant node and whose running_var is Identity(the first BN's var)
  alias_identity_chain_op9_ir3  onnx.helper, IR 3 (initializers listed as graph inputs): a conv weight and a BN
                                variance read through Identity(Identity(init)) (the variance also feeds a second BN
                                directly), the head's Gemm weight through Identity(init)
Each file is checked with onnx.checker, and the script asserts (and prints) that it really contains what it is for.
Everything is seeded: re-running produces the same files.
"""
import collections
import io
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (shares paths and the torchvision stand-ins)

warnings.filterwarnings("ignore")
ARCH = mf.ARCH
F = TensorProto.FLOAT
RNG = np.random.default_rng(77)


def rand(*shape, scale=1.0):
    return (scale * RNG.standard_normal(shape)).astype(np.float32)


def sharing(model):
    """(Identity nodes reading an initializer or another such Identity, initializers read by more than one node)."""
    g = model.graph
    inits = {t.name for t in g.initializer}
    aliases = set()
    for n in g.node:
        if n.op_type == "Identity" and (n.input[0] in inits or n.input[0] in aliases):
            aliases.add(n.output[0])
    readers = collections.Counter()
    for n in g.node:
        for name in set(n.input):
            if name in inits:
                readers[name] += 1
    shared = sorted(k for k, v in readers.items() if v > 1)
    return len(aliases), shared


def save(model, name, want_aliases, want_shared):
    onnx.checker.check_model(model)
    aliases, shared = sharing(model)
    assert (aliases > 0) == want_aliases, "%s: %d Identity aliases of initializers" % (name, aliases)
    assert (len(shared) > 0) == want_shared, "%s: shared initializers %s" % (name, shared)
    path = os.path.join(ARCH, name + ".onnx")
    onnx.save(model, path)
    print("%-32s opset %2d IR %d %7d bytes  %3d Identity aliases of initializers, %2d initializers read by several"
          " nodes%s" % (name, model.opset_import[0].version, model.ir_version, os.path.getsize(path), aliases,
                        len(shared), (" (e.g. " + shared[0] + ")") if shared else ""))


# ---------------------------------------------------------------- torch exports

def half_fresh_norms(model, seed):
    """Random statistics and affine parameters in every other BatchNorm; the rest stay fresh (1, 0, 0, 1), which is
    what makes torch de-duplicate them while the network still computes something non-trivial."""
    g = torch.Generator().manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for i, m in enumerate(bns):
        if i % 2 == 1:
            continue
        c = m.num_features
        with torch.no_grad():
            m.weight.copy_(0.5 + torch.rand(c, generator=g))
            m.bias.copy_(0.2 * torch.randn(c, generator=g))
            m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
            m.running_var.copy_(0.5 + torch.rand(c, generator=g))
    return model


def export(model, opset, size):
    x = torch.randn(2, 3, size, size)
    f = io.BytesIO()
    torch.onnx.export(model.eval(), x, f, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    return onnx.load_from_string(f.getvalue())


class TwinConv(nn.Module):
    """Stem, then two 3x3 convs built with equal weights and biases (in sequence, so their gradients differ), each
    followed by a fresh BatchNorm; global pooling and a linear head."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU())
        self.a = nn.Conv2d(8, 8, 3, padding=1)
        self.bn_a = nn.BatchNorm2d(8)
        self.b = nn.Conv2d(8, 8, 3, padding=1)
        self.bn_b = nn.BatchNorm2d(8)
        with torch.no_grad():
            self.b.weight.copy_(self.a.weight)
            self.b.bias.copy_(self.a.bias)
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        y = torch.relu(self.bn_a(self.a(self.stem(x))))
        z = torch.relu(self.bn_b(self.b(y)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(y + z, 1), 1))


def small_mnasnet(num_classes=10):
    """torchvision's MNASNet at width 0.1 (depths round up to multiples of 8), at most two blocks per stack and a
    64-wide last conv: the same kinds of blocks as make_fixtures' 0.25 stand-in in under 300 KB."""
    m = torchvision.models.MNASNet(0.1, num_classes=num_classes)
    for i in range(8, 14):
        m.layers[i] = m.layers[i][:2]
    m.layers[14] = nn.Conv2d(m.layers[14].in_channels, 64, 1, padding=0, stride=1, bias=False)
    m.layers[15] = nn.BatchNorm2d(64)
    m.classifier[1] = nn.Linear(64, num_classes)
    return m


def make_torch():
    archs = {"resnet18": mf.ARCHS["resnet18"], "densenet": mf.ARCHS["densenet"], "mnasnet": (small_mnasnet, 64)}
    for arch, opset in [("resnet18", 13), ("densenet", 11), ("mnasnet", 13)]:
        ctor, size = archs[arch]
        torch.manual_seed(7)
        model = half_fresh_norms(ctor(), 11)
        save(export(model, opset, size), "alias_%s_op%d_dyn_bn" % (arch, opset), True, True)
    torch.manual_seed(5)
    twin = export(TwinConv(), 13, 32)
    _, shared = sharing(twin)
    assert "a.weight" in shared and "a.bias" in shared, shared
    save(twin, "alias_twin_conv_op13_dyn_bn", True, True)


# ---------------------------------------------------------------- hand-built graphs

def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def classifier(name, nodes, inits, features, channels, opset, ir=8, size=16, fc_weight=True):
    """Wraps body nodes into a classifier: input [N, 3, size, size] → body → GlobalAveragePool → Flatten →
    Gemm(fc.weight, fc.bias) → output [N, 5]. fc_weight=False when the body produces 'fc.weight' itself."""
    nodes = list(nodes) + [
        helper.make_node("GlobalAveragePool", [features], ["pooled"], name="pool"),
        helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["output"], name="fc", transB=1),
    ]
    inits = list(inits)
    if fc_weight:
        inits.append(init("fc.weight", rand(5, channels, scale=0.3)))
    inits.append(init("fc.bias", rand(5, scale=0.1)))
    inputs = [helper.make_tensor_value_info("input", F, ["N", 3, size, size])]
    graph = helper.make_graph(nodes, name, inputs, [helper.make_tensor_value_info("output", F, ["N", 5])],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="edgeloop-fixtures")
    model.ir_version = ir
    if ir < 4:
        listed = {i.name for i in model.graph.input}
        for t in model.graph.initializer:
            if t.name not in listed:
                model.graph.input.append(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
    return model


def make_shared_conv_weight():
    nodes = [
        helper.make_node("Conv", ["input", "stem.weight", "stem.bias"], ["s"], name="stem", pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["s"], ["s_relu"], name="stem_relu"),
        helper.make_node("Conv", ["s_relu", "shared.weight", "shared.bias"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "shared.weight", "shared.bias"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Add", ["r1", "r2"], ["sum"], name="add"),
    ]
    inits = [init("stem.weight", rand(8, 3, 3, 3, scale=0.4)), init("stem.bias", rand(8, scale=0.1)),
             init("shared.weight", rand(8, 8, 3, 3, scale=0.2)), init("shared.bias", rand(8, scale=0.1))]
    save(classifier("shared_conv_weight", nodes, inits, "sum", 8, 13), "alias_shared_conv_weight_op13", False, True)


def make_bn_mean_from_bias():
    c = 8
    nodes = [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Identity", ["conv1.bias"], ["bn1.running_mean"], name="bn1_mean_alias"),
        helper.make_node("BatchNormalization", ["c1", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                                "bn1.running_var"], ["b1"], name="bn1", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "conv2.weight"], ["c2"], name="conv2", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Constant", [], ["bn2.weight"], name="bn2_scale",
                         value=numpy_helper.from_array(0.5 + RNG.random(c).astype(np.float32), "bn2_scale_value")),
        helper.make_node("Identity", ["bn1.running_var"], ["bn2.running_var"], name="bn2_var_alias"),
        helper.make_node("BatchNormalization", ["c2", "bn2.weight", "bn2.bias", "bn2.running_mean",
                                                "bn2.running_var"], ["b2"], name="bn2", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["b2"], ["r2"], name="relu2"),
    ]
    inits = [init("conv1.weight", rand(c, 3, 3, 3, scale=0.4)), init("conv1.bias", rand(c, scale=0.3)),
             init("bn1.weight", 0.5 + RNG.random(c).astype(np.float32)), init("bn1.bias", rand(c, scale=0.2)),
             init("bn1.running_var", 0.5 + RNG.random(c).astype(np.float32)),
             init("conv2.weight", rand(c, c, 3, 3, scale=0.2)), init("bn2.bias", rand(c, scale=0.2)),
             init("bn2.running_mean", rand(c, scale=0.1))]
    save(classifier("bn_mean_from_bias", nodes, inits, "r2", c, 13), "alias_bn_mean_from_bias_op13", True, True)


def make_identity_chain():
    c = 8
    nodes = [
        helper.make_node("Identity", ["w0"], ["w0_a"], name="w0_alias_1"),
        helper.make_node("Identity", ["w0_a"], ["conv1.weight"], name="w0_alias_2"),
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Identity", ["var"], ["var_a"], name="var_alias_1"),
        helper.make_node("Identity", ["var_a"], ["var_b"], name="var_alias_2"),
        helper.make_node("Identity", ["var_b"], ["bn1.running_var"], name="var_alias_3"),
        helper.make_node("BatchNormalization", ["c1", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                                "bn1.running_var"], ["b1"], name="bn1", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "conv2.weight", "conv2.bias"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c2", "bn2.weight", "bn2.bias", "bn2.running_mean", "var"], ["b2"],
                         name="bn2", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["b2"], ["r2"], name="relu2"),
        helper.make_node("Identity", ["fc_w"], ["fc.weight"], name="fc_weight_alias"),
    ]
    inits = [init("w0", rand(c, 3, 3, 3, scale=0.4)), init("conv1.bias", rand(c, scale=0.1)),
             init("var", 0.5 + RNG.random(c).astype(np.float32)),
             init("bn1.weight", 0.5 + RNG.random(c).astype(np.float32)), init("bn1.bias", rand(c, scale=0.2)),
             init("bn1.running_mean", rand(c, scale=0.1)), init("conv2.weight", rand(c, c, 3, 3, scale=0.2)),
             init("conv2.bias", rand(c, scale=0.1)), init("bn2.weight", 0.5 + RNG.random(c).astype(np.float32)),
             init("bn2.bias", rand(c, scale=0.2)), init("bn2.running_mean", rand(c, scale=0.1)),
             init("fc_w", rand(5, c, scale=0.3))]
    # the head's Gemm reads 'fc.weight', which the Identity produces
    model = classifier("identity_chain", nodes, inits, "r2", c, 9, ir=3, fc_weight=False)
    save(model, "alias_identity_chain_op9_ir3", True, True)


if __name__ == "__main__":
    make_torch()
    make_shared_conv_weight()
    make_bn_mean_from_bias()
    make_identity_chain()

#!/usr/bin/python3
"""Generates stand-ins for ONNX-model-zoo classifiers and tf2onnx (Keras) exports, which cannot be downloaded here.

Run with Debian's interpreter (python3-torch, python3-torchvision, python3-onnx 1.12):

    /usr/bin/python3 trainer/src/test/python/make_zoo_fixtures.py

Writes into resources/onnx/arch/
  zoo_*       real torchvision topologies (reduced widths, 64x64) exported by torch.onnx.export at opset 9 and
              converted DOWN with onnx.version_converter to 7 or 8 (the converter in onnx 1.12 has no down-adapters
              from opset 11 for Gemm/Pad/Gather nor from 10 for MaxPool, so 9 is the highest start that converts).
              MXNet-exported zoo models (resnet*-v1-7, vgg16-bn-7) carry BatchNormalization 'spatial'=1 and Dropout
              nodes with a 'ratio' attribute: those are added as the MXNet exporter writes them.
  caffe2_*    Caffe2-style graphs built with onnx.helper: 'Sum' residuals (resnet50-caffe2 / densenet-9), the
              ShuffleNet-v1 channel shuffle as Reshape-Transpose-Reshape with the batch baked in (shufflenet-9),
              a GoogLeNet stem with LRN, MaxPool ceil_mode (opset 10) and AveragePool (googlenet-9 /
              inception_v1-9), a CaffeNet/AlexNet stack with LRN and Dropout (caffenet / alexnet / zfnet).
  tf2onnx_*   an EfficientNet-lite / MobileNetV2-like Keras stack as tf2onnx converts it: NHWC input with a named
              unknown batch, Transpose to NCHW, Conv with folded BN, Relu6 as Clip with min/max inputs, depthwise
              Conv, Add residuals, Transpose back, ReduceMean over H,W + Squeeze, MatMul + Add head, Softmax.
and into resources/onnx/ops/ single-node graphs for the operators and old attribute forms these need.
Everything is seeded: re-running produces the same files.
"""
import io
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper, version_converter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (shares paths, the torchvision stand-ins and the single-op writer)

warnings.filterwarnings("ignore")
ARCH = mf.ARCH
OPS = mf.OPS
F = TensorProto.FLOAT
I64 = TensorProto.INT64
RNG = np.random.default_rng(2024)


def rand(*shape, scale=1.0):
    return (scale * RNG.standard_normal(shape)).astype(np.float32)


def save(model, name):
    onnx.checker.check_model(model)
    path = os.path.join(ARCH, name + ".onnx")
    onnx.save(model, path)
    ops = sorted({n.op_type for n in model.graph.node})
    print("%-40s opset %2d %8d bytes  %s" % (name, model.opset_import[0].version, os.path.getsize(path),
                                             " ".join(ops)))


# ---------------------------------------------------------------- torchvision exports converted down

class TinyVggBn(nn.Module):
    """vgg16-bn's pattern (3x3 conv-BN-ReLU stacks, max pools, three fully connected layers) at toy width."""

    def __init__(self, num_classes=10):
        super().__init__()
        cfg = [8, "M", 16, "M", 16, 16, "M", 32, "M"]
        layers, c = [], 3
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                c = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(32 * 4 * 4, 64), nn.ReLU(True), nn.Linear(64, 48), nn.ReLU(True),
                                        nn.Linear(48, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def torch_export(ctor, opset, size, preserve_bn, dynamic):
    torch.manual_seed(7)
    model = mf.randomise_norms(ctor(), 11).eval()
    x = torch.randn(1, 3, size, size)
    kw = dict(opset_version=opset, input_names=["data"], output_names=["output"])
    if dynamic:
        kw["dynamic_axes"] = {"data": {0: "N"}, "output": {0: "N"}}
    if preserve_bn:
        kw["training"] = torch.onnx.TrainingMode.PRESERVE
        kw["do_constant_folding"] = False
    f = io.BytesIO()
    torch.onnx.export(model, x, f, **kw)
    return onnx.load_from_string(f.getvalue())


def mxnet_style(model):
    """BatchNormalization-7 as MXNet's exporter writes it: spatial=1 spelled out."""
    for n in model.graph.node:
        if n.op_type == "BatchNormalization":
            n.attribute.append(helper.make_attribute("spatial", 1))
    return model


def ir3(model):
    """IR version 3, as the zoo's opset 7/8 files are: every initializer is listed as a graph input too."""
    model.ir_version = 3
    listed = {i.name for i in model.graph.input}
    for t in model.graph.initializer:
        if t.name not in listed:
            model.graph.input.append(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
    return model


def insert_dropout_after_hidden_relus(model, ratio):
    """Dropout(ratio) after every ReLU that follows a Gemm, as vgg16-bn-7 has them (Dropout-7: ratio attribute)."""
    g = model.graph
    producers = {o: n for n in g.node for o in n.output}
    nodes = []
    for n in g.node:
        nodes.append(n)
        if n.op_type == "Relu" and n.input[0] in producers and producers[n.input[0]].op_type == "Gemm":
            old = n.output[0]
            dropped = old + "_dropout"
            for m in g.node:
                for i, inp in enumerate(m.input):
                    if inp == old:
                        m.input[i] = dropped
            nodes.append(helper.make_node("Dropout", [old], [dropped], name=n.name.replace("Relu", "Dropout"),
                                          ratio=ratio))
    del g.node[:]
    g.node.extend(nodes)
    return model


def make_zoo_torch():
    r = torch_export(mf.TinyResNet18, 9, 64, preserve_bn=True, dynamic=True)
    save(ir3(mxnet_style(version_converter.convert_version(r, 7))), "zoo_resnet18_v1_op7_bn")

    m = torch_export(mf._mobilenet_v2_small, 9, 64, preserve_bn=False, dynamic=False)
    save(ir3(version_converter.convert_version(m, 8)), "zoo_mobilenetv2_op8_static_fold")

    s = torch_export(mf.TinySqueezeNet, 9, 64, preserve_bn=False, dynamic=False)
    save(s, "zoo_squeezenet1_1_op9_static")

    v = torch_export(TinyVggBn, 9, 64, preserve_bn=True, dynamic=True)
    v = version_converter.convert_version(v, 7)
    save(ir3(insert_dropout_after_hidden_relus(mxnet_style(v), 0.5)), "zoo_vgg_bn_op7")

    dn = torch_export(mf.ARCHS["densenet"][0], 9, 64, preserve_bn=True, dynamic=True)
    save(ir3(version_converter.convert_version(dn, 8)), "zoo_densenet_op8_bn")


# ---------------------------------------------------------------- hand-built graphs

class Graph:
    """Collects nodes and initializers with Caffe2 / tf2onnx style names."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.nodes = []
        self.inits = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return "%s%s_%d" % (self.prefix, base, self.count)

    def const(self, base, arr):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), n))
        return n

    def node(self, op, inputs, name=None, outputs=1, **attrs):
        name = name or self.name(op.lower())
        outs = [name] if outputs == 1 else ["%s_%d" % (name, i) for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if outputs == 1 else outs

    def conv(self, x, cin, cout, k, stride=1, pad=None, group=1, bias=True, name=None):
        pad = k // 2 if pad is None else pad
        pads = pad if isinstance(pad, list) else [pad] * 4
        fan_in = cin // group * k * k
        w = self.const("w", rand(cout, cin // group, k, k, scale=(2.0 / fan_in) ** 0.5))
        inputs = [x, w] + ([self.const("b", rand(cout, scale=0.1))] if bias else [])
        return self.node("Conv", inputs, name=name, kernel_shape=[k, k], strides=[stride, stride], pads=pads,
                         group=group)

    def bn(self, x, c, opset_attrs=None):
        scale = self.const("bn_s", (0.5 + RNG.random(c)).astype(np.float32))
        bias = self.const("bn_b", rand(c, scale=0.2))
        mean = self.const("bn_rm", rand(c, scale=0.1))
        var = self.const("bn_riv", (0.5 + RNG.random(c)).astype(np.float32))
        return self.node("BatchNormalization", [x, scale, bias, mean, var], epsilon=1e-5, **(opset_attrs or {}))

    def relu(self, x):
        return self.node("Relu", [x])

    def model(self, graph_name, inp, inp_shape, out, out_shape, opset, producer, ir=None):
        ir = ir or (3 if opset <= 8 else 4 if opset <= 10 else 6)
        inputs = [helper.make_tensor_value_info(inp, F, inp_shape)]
        if ir < 4:
            # IR 3 (the zoo's opset 7/8 files) lists every initializer as a graph input too
            inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in self.inits]
        graph = helper.make_graph(self.nodes, graph_name, inputs, [helper.make_tensor_value_info(out, F, out_shape)],
                                  initializer=self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name=producer)
        m.ir_version = ir
        return m


def caffe2_resnet_sum():
    """resnet50-caffe2-style bottlenecks at opset 9: projection and identity shortcuts joined by Sum, AveragePool
    head over the whole map, Reshape to [1, C] (batch baked in), Gemm, Softmax."""
    g = Graph("gpu_0/")
    x = g.relu(g.bn(g.conv("gpu_0/data_0", 3, 8, 7, stride=2, pad=3, bias=False, name="gpu_0/conv1_1"), 8))
    x = g.node("MaxPool", [x], name="gpu_0/pool1_1", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])

    def bottleneck(x, cin, mid, cout, stride, project):
        y = g.relu(g.bn(g.conv(x, cin, mid, 1, stride=stride, bias=False), mid))
        y = g.relu(g.bn(g.conv(y, mid, mid, 3, bias=False), mid))
        y = g.bn(g.conv(y, mid, cout, 1, bias=False), cout)
        s = g.bn(g.conv(x, cin, cout, 1, stride=stride, bias=False), cout) if project else x
        return g.relu(g.node("Sum", [y, s], name=g.name("res_sum")))

    x = bottleneck(x, 8, 4, 16, 1, True)
    x = bottleneck(x, 16, 4, 16, 1, False)
    x = bottleneck(x, 16, 8, 32, 2, True)
    x = g.node("AveragePool", [x], name="gpu_0/pool5_1", kernel_shape=[8, 8], strides=[1, 1])
    x = g.node("Reshape", [x, g.const("shape", np.array([1, 32], np.int64))], name="gpu_0/OC2_DUMMY_0")
    x = g.node("Gemm", [x, g.const("pred_w", rand(10, 32, scale=0.2)), g.const("pred_b", rand(10, scale=0.1))],
               name="gpu_0/pred_1", transB=1)
    g.node("Softmax", [x], name="gpu_0/softmax_1")
    return g.model("caffe2_resnet", "gpu_0/data_0", [1, 3, 64, 64], "gpu_0/softmax_1", [1, 10], 9, "caffe2")


def caffe2_shufflenet_v1():
    """shufflenet-9 (ShuffleNet v1, Caffe2): grouped 1x1 convs, channel shuffle as Reshape [1, g, C/g, H, W] →
    Transpose → Reshape [1, C, H, W] with the batch baked in, depthwise 3x3, stride-2 units that concatenate an
    AveragePool shortcut (count_include_pad=1), stride-1 units that Sum."""
    g = Graph("gpu_0/")
    x = g.relu(g.bn(g.conv("gpu_0/data_0", 3, 12, 3, stride=2, bias=False, name="gpu_0/conv3_0"), 12))
    x = g.node("MaxPool", [x], name="gpu_0/pool_0", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    groups = 3

    def shuffle(x, c, hw):
        y = g.node("Reshape", [x, g.const("shuffle_shape", np.array([1, groups, c // groups, hw, hw], np.int64))])
        y = g.node("Transpose", [y], perm=[0, 2, 1, 3, 4])
        return g.node("Reshape", [y, g.const("shuffle_shape", np.array([1, c, hw, hw], np.int64))])

    def unit(x, cin, cout, stride, hw):
        branch_out = cout - cin if stride == 2 else cout
        mid = 12
        y = g.relu(g.bn(g.conv(x, cin, mid, 1, group=groups, bias=False), mid))
        y = shuffle(y, mid, hw)
        y = g.bn(g.conv(y, mid, mid, 3, stride=stride, group=mid, bias=False), mid)
        y = g.bn(g.conv(y, mid, branch_out, 1, group=groups, bias=False), branch_out)
        if stride == 2:
            s = g.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                       count_include_pad=1)
            return g.relu(g.node("Concat", [s, y], axis=1))
        return g.relu(g.node("Sum", [x, y], name=g.name("res_sum")))

    x = unit(x, 12, 24, 2, 16)
    x = unit(x, 24, 24, 1, 8)
    x = unit(x, 24, 48, 2, 8)
    x = unit(x, 48, 48, 1, 4)
    x = g.node("GlobalAveragePool", [x], name="gpu_0/gap_0")
    x = g.node("Flatten", [x], name="gpu_0/flatten_0", axis=1)
    x = g.node("Gemm", [x, g.const("fc_w", rand(10, 48, scale=0.2)), g.const("fc_b", rand(10, scale=0.1))],
               name="gpu_0/fc_1", transB=1)
    g.node("Softmax", [x], name="gpu_0/softmax_1")
    return g.model("caffe2_shufflenet", "gpu_0/data_0", [1, 3, 64, 64], "gpu_0/softmax_1", [1, 10], 9, "caffe2")


def caffe2_googlenet_lrn():
    """googlenet / inception_v1 stem: 7x7/2 conv, MaxPool 3x3/2 ceil_mode, LRN, 1x1 and 3x3 convs, LRN, MaxPool
    ceil_mode, one Inception module (four branches incl. a 3x3/1 max pool), AveragePool head, Dropout, Reshape,
    Gemm, Softmax. Opset 10: MaxPool's ceil_mode exists from 10."""
    g = Graph("")
    x = g.relu(g.conv("data_0", 3, 12, 7, stride=2, pad=3, name="conv1/7x7_s2_1"))
    x = g.node("MaxPool", [x], name="pool1/3x3_s2_1", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    x = g.node("LRN", [x], name="pool1/norm1_1", size=5, alpha=1e-4, beta=0.75, bias=1.0)
    x = g.relu(g.conv(x, 12, 12, 1, name="conv2/3x3_reduce_1"))
    x = g.relu(g.conv(x, 12, 24, 3, name="conv2/3x3_1"))
    x = g.node("LRN", [x], name="conv2/norm2_1", size=5, alpha=1e-4, beta=0.75, bias=1.0)
    x = g.node("MaxPool", [x], name="pool2/3x3_s2_1", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    b1 = g.relu(g.conv(x, 24, 8, 1, name="inception_3a/1x1_1"))
    b2 = g.relu(g.conv(g.relu(g.conv(x, 24, 8, 1, name="inception_3a/3x3_reduce_1")), 8, 12, 3,
                       name="inception_3a/3x3_1"))
    b3 = g.relu(g.conv(g.relu(g.conv(x, 24, 4, 1, name="inception_3a/5x5_reduce_1")), 4, 6, 5,
                       name="inception_3a/5x5_1"))
    p = g.node("MaxPool", [x], name="inception_3a/pool_1", kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])
    b4 = g.relu(g.conv(p, 24, 6, 1, name="inception_3a/pool_proj_1"))
    x = g.node("Concat", [b1, b2, b3, b4], name="inception_3a/output_1", axis=1)
    x = g.node("AveragePool", [x], name="pool5/7x7_s1_1", kernel_shape=[8, 8], strides=[1, 1])
    x = g.node("Dropout", [x], name="pool5/drop_7x7_s1_1", ratio=0.4)
    x = g.node("Reshape", [x, g.const("OC2_DUMMY_1", np.array([1, 32], np.int64))], name="OC2_DUMMY_0")
    x = g.node("Gemm", [x, g.const("loss3/classifier_w", rand(10, 32, scale=0.2)),
                        g.const("loss3/classifier_b", rand(10, scale=0.1))], name="loss3/classifier_1", transB=1)
    g.node("Softmax", [x], name="prob_1")
    return g.model("googlenet", "data_0", [1, 3, 64, 64], "prob_1", [1, 10], 10, "caffe2")


def caffenet_lrn():
    """caffenet / bvlc_alexnet / zfnet512: 11x11/4 conv, ReLU, MaxPool, LRN, grouped 5x5 conv, ReLU, MaxPool, LRN,
    3x3 convs, MaxPool, Reshape, three Gemm with Dropout(ratio attribute) between, Softmax. Opset 8 (Dropout-7,
    MaxPool-8)."""
    g = Graph("")
    x = g.relu(g.conv("data_0", 3, 16, 11, stride=4, pad=0, name="conv1_1"))
    x = g.node("MaxPool", [x], name="pool1_1", kernel_shape=[3, 3], strides=[2, 2])
    x = g.node("LRN", [x], name="norm1_1", size=5, alpha=1e-4, beta=0.75, bias=1.0)
    x = g.relu(g.conv(x, 16, 24, 5, pad=2, group=2, name="conv2_1"))
    x = g.node("MaxPool", [x], name="pool2_1", kernel_shape=[3, 3], strides=[2, 2])
    x = g.node("LRN", [x], name="norm2_1", size=5, alpha=1e-4, beta=0.75, bias=1.0)
    x = g.relu(g.conv(x, 24, 24, 3, name="conv3_1"))
    x = g.relu(g.conv(x, 24, 16, 3, group=2, name="conv4_1"))
    x = g.node("MaxPool", [x], name="pool5_1", kernel_shape=[2, 2], strides=[1, 1])
    x = g.node("Reshape", [x, g.const("OC2_DUMMY_1", np.array([1, 16], np.int64))], name="OC2_DUMMY_0")
    for i, (cin, cout) in enumerate([(16, 32), (32, 32)]):
        x = g.relu(g.node("Gemm", [x, g.const("fc%d_w" % (i + 6), rand(cout, cin, scale=0.3)),
                                   g.const("fc%d_b" % (i + 6), rand(cout, scale=0.1))], name="fc%d_1" % (i + 6),
                          transB=1))
        x = g.node("Dropout", [x], name="drop%d_1" % (i + 6), ratio=0.5)
    x = g.node("Gemm", [x, g.const("fc8_w", rand(10, 32, scale=0.3)), g.const("fc8_b", rand(10, scale=0.1))],
               name="fc8_1", transB=1)
    g.node("Softmax", [x], name="prob_1")
    return g.model("caffenet", "data_0", [1, 3, 64, 64], "prob_1", [1, 10], 8, "caffe2")


def tf2onnx_efficientnet_lite(opset, static=False):
    """EfficientNet-lite / MobileNetV2-like Keras model after tf2onnx: NHWC 'images' input with batch 'unk__123',
    Transpose to NCHW, convs with folded BatchNorm (bias), Relu6 as Clip with min/max initializer inputs, depthwise
    convs (group = channels) with TF 'SAME' padding as explicit (asymmetric for stride 2) pads, Add residuals,
    Transpose back to NHWC, ReduceMean over [1, 2] (keepdims 1) + Squeeze, MatMul + Add head, Softmax. static: the
    published efficientnet-lite4-11 form, 'images:0' [1, H, W, 3] → 'Softmax:0'."""
    g = Graph("")
    relu6_lo = g.const("const_fold_opt__61", np.array(0.0, np.float32))
    relu6_hi = g.const("const_fold_opt__70", np.array(6.0, np.float32))
    seq = [0]

    def tfname(block, what):
        seq[0] += 1
        return "model/%s/%s" % (block, what)

    def conv(x, block, layer, cin, cout, k, stride=1, group=1):
        # TF 'SAME': total = max(k - stride, 0) for even input sizes; tf2onnx puts the odd pixel at the end
        total = max(k - stride, 0)
        pads = [total // 2, total // 2, total - total // 2, total - total // 2]
        w = g.const("%s/%s/Conv2D/ReadVariableOp" % (block, layer),
                    rand(cout, cin // group, k, k, scale=(2.0 / (cin // group * k * k)) ** 0.5))
        b = g.const("%s/%s/BiasAdd/ReadVariableOp" % (block, layer), rand(cout, scale=0.1))
        return g.node("Conv", [x, w, b], name=tfname(block, layer + ("/depthwise" if group > 1 else "/Conv2D")),
                      kernel_shape=[k, k], strides=[stride, stride], pads=pads, group=group, dilations=[1, 1])

    def relu6(x, block, what):
        return g.node("Clip", [x, relu6_lo, relu6_hi], name=tfname(block, what + "/Relu6"))

    image = "images:0" if static else "images"
    x = g.node("Transpose", [image], name="model/stem_conv/Conv2D__6", perm=[0, 3, 1, 2])
    x = relu6(conv(x, "stem", "stem_conv", 3, 8, 3, stride=2), "stem", "stem_activation")
    # block 1a: depthwise + project, identity residual
    y = relu6(conv(x, "block1a", "block1a_dwconv", 8, 8, 3, group=8), "block1a", "block1a_activation")
    y = conv(y, "block1a", "block1a_project_conv", 8, 8, 1)
    x = g.node("Add", [y, x], name="model/block1a/block1a_add/add")
    # block 2a: expand, depthwise stride 2 (asymmetric SAME pads), project
    y = relu6(conv(x, "block2a", "block2a_expand_conv", 8, 24, 1), "block2a", "block2a_expand_activation")
    y = relu6(conv(y, "block2a", "block2a_dwconv", 24, 24, 3, stride=2, group=24), "block2a",
              "block2a_activation")
    x = conv(y, "block2a", "block2a_project_conv", 24, 12, 1)
    # block 2b: expand, depthwise 5x5, project, residual
    y = relu6(conv(x, "block2b", "block2b_expand_conv", 12, 36, 1), "block2b", "block2b_expand_activation")
    y = relu6(conv(y, "block2b", "block2b_dwconv", 36, 36, 5, group=36), "block2b", "block2b_activation")
    y = conv(y, "block2b", "block2b_project_conv", 36, 12, 1)
    x = g.node("Add", [y, x], name="model/block2b/block2b_add/add")
    x = relu6(conv(x, "top", "top_conv", 12, 32, 1), "top", "top_activation")
    x = g.node("Transpose", [x], name="model/top_activation/Relu6__42", perm=[0, 2, 3, 1])
    x = g.node("ReduceMean", [x], name="model/avg_pool/Mean", axes=[1, 2], keepdims=1)
    if opset >= 13:
        x = g.node("Squeeze", [x, g.const("model/avg_pool/Mean_Squeeze__47", np.array([1, 2], np.int64))],
                   name="model/avg_pool/Mean_Squeeze__48")
    else:
        x = g.node("Squeeze", [x], name="model/avg_pool/Mean_Squeeze__48", axes=[1, 2])
    x = g.node("MatMul", [x, g.const("model/dense/MatMul/ReadVariableOp", rand(32, 10, scale=0.2))],
               name="model/dense/MatMul")
    x = g.node("Add", [x, g.const("model/dense/BiasAdd/ReadVariableOp", rand(10, scale=0.1))],
               name="model/dense/BiasAdd")
    out = "Softmax:0" if static else "Softmax"
    g.node("Softmax", [x], name=out, axis=1 if opset < 13 else -1)
    batch = 1 if static else "unk__123"
    m = g.model("tf2onnx", image, [batch, 32, 32, 3], out, [batch, 10], opset, "tf2onnx",
                ir=7 if opset >= 13 else 6)
    m.producer_version = "1.9.3 1190aa"
    # tf2onnx names the graph output after the Keras layer output
    return m


def make_handbuilt():
    save(caffe2_resnet_sum(), "caffe2_resnet_sum_op9")
    save(caffe2_shufflenet_v1(), "caffe2_shufflenet_v1_op9")
    save(caffe2_googlenet_lrn(), "caffe2_googlenet_lrn_op10")
    save(caffenet_lrn(), "caffe2_caffenet_lrn_op8")
    save(tf2onnx_efficientnet_lite(11), "tf2onnx_efficientnet_lite_op11")
    save(tf2onnx_efficientnet_lite(13), "tf2onnx_efficientnet_lite_op13")
    # efficientnet-lite4-11 as published: TF-style tensor names with ':0', static batch 1
    save(tf2onnx_efficientnet_lite(11, static=True), "tf2onnx_efficientnet_lite4_static_op11")


# ---------------------------------------------------------------- single-op graphs (old forms, new ops)

def r(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def make_ops():
    xin = [("x", [2, 6, 7, 7])]
    mf.single("lrn", "LRN", xin, None, size=5, alpha=0.5, beta=0.75, bias=2.0, opset=10)
    # valid ONNX, but ONNX Runtime refuses even sizes: the importer must refuse it too
    mf.single("unsupported_lrn_even_size", "LRN", xin, None, size=4, alpha=0.3, beta=0.6, bias=1.0, opset=13)
    mf.single("lrn_size1", "LRN", xin, None, size=1, alpha=0.3, beta=0.6, bias=1.0, opset=13)
    mf.single("lrn_defaults", "LRN", xin, None, size=3, opset=7)
    mf.single("sum", "Sum", [("x", [2, 6, 7, 7]), ("z", [2, 6, 7, 7])], None, [mf.init("c", r(6, 1, 1))], opset=9)
    mf.single("sum_one", "Sum", xin, None, opset=13)
    mf.single("sum_op7_same_shape", "Sum", [("x", [2, 6, 7, 7]), ("z", [2, 6, 7, 7])], None, opset=7)
    mf.single("max", "Max", [("x", [2, 6, 7, 7])], None, [mf.init("c", r(1, 7))], opset=13)
    mf.single("min", "Min", xin, None, [mf.init("c", r(6, 1, 1)), mf.init("d", r(7))], opset=12)
    mf.single("mean", "Mean", xin, None, [mf.init("c", r(7)), mf.init("d", r(2, 1, 7, 1))], opset=9)
    mf.single("sum_three", "Sum", xin, None, [mf.init("c", r(6, 1, 1)), mf.init("d", r(1, 7))], opset=13)
    c = 6
    bn = [mf.init("s", (0.5 + RNG.random(c)).astype(np.float32)), mf.init("bb", r(c)), mf.init("m", r(c)),
          mf.init("v", (0.5 + RNG.random(c)).astype(np.float32))]
    mf.single("batchnorm_op7_spatial", "BatchNormalization", xin, None, bn, opset=7, spatial=1, epsilon=1e-3,
              momentum=0.9)
    mf.single("batchnorm_op9", "BatchNormalization", xin, None, bn, opset=9, epsilon=1e-5)
    bn0 = [mf.init("s", (0.5 + RNG.random((c, 7, 7))).astype(np.float32)), mf.init("bb", r(c, 7, 7)),
           mf.init("m", r(c, 7, 7)), mf.init("v", (0.5 + RNG.random((c, 7, 7))).astype(np.float32))]
    mf.single("batchnorm_op7_spatial0", "BatchNormalization", xin, None, bn0, opset=7, spatial=0, epsilon=1e-3)
    mf.single("dropout_op7", "Dropout", xin, None, opset=7, ratio=0.3)
    mf.single("softmax_op9_4d", "Softmax", xin, None, opset=9)
    mf.single("logsoftmax_op7_axis2", "LogSoftmax", xin, None, opset=7, axis=2)
    mf.single("flatten_op9_axis0", "Flatten", xin, None, opset=9, axis=0)
    mf.single("flatten_op7_axis3", "Flatten", xin, None, opset=7, axis=3)
    mf.single("gemm_op7_bias_vector", "Gemm", [("a", [3, 5])], None, [mf.init("w", r(4, 5)), mf.init("c", r(4))],
              opset=7, transB=1)
    mf.single("gemm_op9_bias_scalar", "Gemm", [("a", [5, 3])], None, [mf.init("w", r(5, 4)),
                                                                      mf.init("c", r(1))], opset=9, transA=1)
    mf.single("maxpool_op10_ceil_pads", "MaxPool", xin, None, opset=10, kernel_shape=[3, 3], strides=[2, 2],
              pads=[1, 1, 1, 1], ceil_mode=1)
    mf.single("maxpool_op8_asym", "MaxPool", xin, None, opset=8, kernel_shape=[3, 3], strides=[2, 2],
              pads=[0, 0, 1, 1])
    mf.single("avgpool_op7_cip1", "AveragePool", xin, None, opset=7, kernel_shape=[3, 3], strides=[2, 2],
              pads=[1, 1, 1, 1], count_include_pad=1)
    mf.single("avgpool_op10_ceil_cip0", "AveragePool", xin, None, opset=10, kernel_shape=[3, 3], strides=[2, 2],
              pads=[1, 1, 1, 1], ceil_mode=1)
    mf.single("pad_op7_reflect", "Pad", xin, None, opset=7, mode="reflect", pads=[0, 0, 1, 2, 0, 0, 2, 1])
    mf.single("pad_op9_constant", "Pad", xin, None, opset=9, pads=[0, 0, 1, 0, 0, 1, 2, 3], value=-1.5)
    mf.single("clip_op7", "Clip", xin, None, opset=7, min=-0.5, max=0.75)
    mf.single("clip_op11_max_only", "Clip", xin, None, _node_inputs=["x", "", "hi"],
              initializers=[mf.init("hi", np.array(6.0, np.float32))], opset=11)
    mf.single("squeeze_op7", "Squeeze", [("x", [2, 1, 7, 1])], None, opset=7, axes=[1, 3])
    mf.single("unsqueeze_op9", "Unsqueeze", [("x", [2, 6, 7])], None, opset=9, axes=[0, 3])
    mf.single("reducemean_op7", "ReduceMean", xin, None, opset=7, axes=[2, 3], keepdims=0)
    mf.single("split_op7", "Split", xin, None, opset=7, axis=1, split=[2, 4], n_outputs=2)
    mf.single("concat_op7", "Concat", [("x", [2, 6, 7, 7]), ("z", [2, 2, 7, 7])], None, opset=7, axis=1)
    mf.single("reshape_op7", "Reshape", xin, None, [mf.init("shape", np.array([0, 3, -1], np.int64))], opset=7)
    mf.single("transpose_op7_default_perm", "Transpose", [("x", [2, 3, 4])], None, opset=7)
    mf.single("slice_op9_attrs", "Slice", xin, None, opset=9, starts=[1, -5], ends=[5, 1000], axes=[1, 3])
    # opset 6 (squeezenet1.0-6, resnet50-caffe2-v1-6 …): legacy broadcast attributes, below what ONNX Runtime runs
    mf.single("unsupported_opset6_add", "Add", xin, None, [mf.init("b", r(6))], opset=6, broadcast=1, axis=1)


if __name__ == "__main__":
    os.makedirs(ARCH, exist_ok=True)
    os.makedirs(OPS, exist_ok=True)
    torch.set_num_threads(1)
    make_ops()
    make_handbuilt()
    make_zoo_torch()

#!/usr/bin/python3
"""Generates the fixtures for old exports: float16 models and the leftovers of Caffe2 / early-PyTorch converters.

Run with Debian's interpreter (python3-onnx 1.12, numpy):

    /usr/bin/python3 trainer/src/test/python/make_legacy_fixtures.py

Writes into resources/onnx/legacy/
  caffe2_fp16_op8       a Caffe2-era classifier as the zoo's float16 files are: IR 3 (initializers listed as graph
                        inputs), opset 8, no node names, float16 initializers, float16 Constant nodes and float16
                        graph input/output; a float32 island (Max, which float16 converters keep in float32) between
                        Cast(to=FLOAT) and Cast(to=FLOAT16) with a float32 initializer, as onnxconverter-common's
                        convert_float_to_float16 writes it; BatchNormalization with spatial=1 and is_test=1 and a
                        leftover consumed_inputs, Dropout with is_test=1, a Gemm head, Reshape to [N, C, 1, 1] and
                        Softmax over axis 1 of that 4-D tensor (the Caffe2 output shape).
  caffe2_fp32_twin_op8  the same network in float32 (the weights are the float16 values, no Casts): what training
                        the float16 file must be equivalent to.
  <op>_fp16             single-op float16 graphs (Conv, BatchNormalization, Gemm with int32_data halves, Constant,
                        Cast to and from FLOAT16).
  <op>_leftover_*       single-op graphs stamped opset 7-9 that carry attributes of older operator versions
                        (is_test, consumed_inputs, spatial at opset 9); 'refused_*' ones have values that change
                        the meaning, which the importer refuses.
Files with leftover attributes do not pass onnx.checker (unknown attributes): the clean graph is checked before the
leftovers are added, as an old converter would have written them. Everything is seeded: re-running produces the same
files.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY = os.path.join(HERE, "..", "resources", "onnx", "legacy")
F = TensorProto.FLOAT
H = TensorProto.FLOAT16
I64 = TensorProto.INT64
RNG = np.random.default_rng(716)


def rand(*shape, scale=1.0):
    return (scale * RNG.standard_normal(shape)).astype(np.float32)


def positive(*shape):
    return (0.5 + RNG.random(shape)).astype(np.float32)


def save(model, name, check=True):
    if check:
        onnx.checker.check_model(model)
    path = os.path.join(LEGACY, name + ".onnx")
    onnx.save(model, path)
    print("%-40s opset %2d %7d bytes" % (name, model.opset_import[0].version, os.path.getsize(path)))


def add_attributes(model, op_type, **attrs):
    """Leftovers of older operator versions, added after the clean graph was checked."""
    for n in model.graph.node:
        if n.op_type == op_type:
            n.attribute.extend(helper.make_attribute(k, v) for k, v in attrs.items())
    return model


# ---------------------------------------------------------------- the Caffe2-era float16 classifier

class Net:
    """One network written twice: float16 (as published) and float32 (its twin). Node names stay empty."""

    def __init__(self, half):
        self.half = half
        self.nodes = []
        self.inits = []

    def weight(self, name, arr, keep_float=False):
        if keep_float:
            value = arr
        elif self.half:
            value = arr.astype(np.float16)
        else:
            value = arr.astype(np.float16).astype(np.float32)  # the twin: the float16 values, stored as float32
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def shape(self, name, dims):
        self.inits.append(numpy_helper.from_array(np.array(dims, np.int64), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def constant(self, output, arr):
        value = arr.astype(np.float16) if self.half else arr.astype(np.float16).astype(np.float32)
        return self.node("Constant", [], output, value=numpy_helper.from_array(value, output + "_value"))

    def cast(self, x, output, to):
        return self.node("Cast", [x], output, to=to) if self.half else x


def caffe2_network(half, weights):
    """weights: the float32 arrays (drawn once, shared by both variants)."""
    n = Net(half)
    w = weights
    x = "data_0"
    # Caffe2 predict nets subtract the mean and scale the 0-255 input in the graph
    x = n.node("Sub", [x, n.constant("mean_0", w["mean"])], "data_centred")
    x = n.node("Mul", [x, n.constant("scale_0", w["scale"])], "data_scaled")
    x = n.node("Conv", [x, n.weight("conv1_w_0", w["conv1_w"]), n.weight("conv1_b_0", w["conv1_b"])], "conv1_1",
               kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    x = n.node("BatchNormalization", [x] + [n.weight("conv1_bn_%s_0" % k, w["bn1_" + k]) for k in "sbmv"],
               "conv1_bn_1", epsilon=1e-5, momentum=0.9, spatial=1)
    x = n.node("Relu", [x], "conv1_relu_1")
    x = n.node("MaxPool", [x], "pool1_1", kernel_shape=[2, 2], strides=[2, 2])
    x = n.node("Conv", [x, n.weight("conv2_w_0", w["conv2_w"]), n.weight("conv2_b_0", w["conv2_b"])], "conv2_1",
               kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    x = n.node("BatchNormalization", [x] + [n.weight("conv2_bn_%s_0" % k, w["bn2_" + k]) for k in "sbmv"],
               "conv2_bn_1", epsilon=1e-5, momentum=0.9, spatial=1)
    # float16 converters keep Max in float32 (their default op block list): Cast in, float32 initializer, Cast out
    x = n.cast(x, "conv2_bn_1_to_float", F)
    x = n.node("Max", [x, n.weight("conv2_floor_0", w["floor"], keep_float=True)], "conv2_max_1")
    x = n.cast(x, "conv2_max_1_to_half", H)
    x = n.node("GlobalAveragePool", [x], "pool5_1")
    x = n.node("Flatten", [x], "pool5_flat_1", axis=1)
    x = n.node("Dropout", [x], "pool5_drop_1", ratio=0.5)
    x = n.node("Gemm", [x, n.weight("fc_w_0", w["fc_w"]), n.weight("fc_b_0", w["fc_b"])], "fc_1", transB=1)
    x = n.node("Reshape", [x, n.shape("fc_shape_0", [0, 10, 1, 1])], "fc_4d_1")
    n.node("Softmax", [x], "softmax_1", axis=1)
    io_type = H if half else F
    inputs = [helper.make_tensor_value_info("data_0", io_type, [1, 3, 32, 32])]
    inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in n.inits]
    graph = helper.make_graph(n.nodes, "caffe2_net", inputs,
                              [helper.make_tensor_value_info("softmax_1", io_type, [1, 10, 1, 1])],
                              initializer=n.inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 8)], producer_name="caffe2-onnx")
    m.ir_version = 3
    onnx.checker.check_model(m)
    # leftovers of BatchNormalization-6 / Dropout-6 that Caffe2's frontend kept writing
    add_attributes(m, "BatchNormalization", is_test=1, consumed_inputs=[0, 0, 0, 1, 1])
    add_attributes(m, "Dropout", is_test=1)
    return m


def caffe2_weights():
    return {
        "mean": (100 + 20 * RNG.random((1, 3, 1, 1))).astype(np.float32) / 128,
        "scale": np.full((1, 3, 1, 1), 1.7, np.float32),
        "conv1_w": rand(8, 3, 3, 3, scale=(2 / 27) ** 0.5), "conv1_b": rand(8, scale=0.1),
        "bn1_s": positive(8), "bn1_b": rand(8, scale=0.2), "bn1_m": rand(8, scale=0.1), "bn1_v": positive(8),
        "conv2_w": rand(16, 8, 3, 3, scale=(2 / 72) ** 0.5), "conv2_b": rand(16, scale=0.1),
        "bn2_s": positive(16), "bn2_b": rand(16, scale=0.2), "bn2_m": rand(16, scale=0.1), "bn2_v": positive(16),
        "floor": rand(16, 1, 1, scale=0.1),
        "fc_w": rand(10, 16, scale=0.3), "fc_b": rand(10, scale=0.1),
    }


# ---------------------------------------------------------------- single-op graphs

def single(name, op, inputs, initializers=(), opset=9, out_type=H, leftovers=None, check=True, **attrs):
    """inputs: (name, type, shape) graph inputs; node inputs are the graph inputs, then the initializers."""
    node_inputs = [i[0] for i in inputs] + [t.name for t in initializers]
    node = helper.make_node(op, node_inputs, ["y"], name=name + "_node", **attrs)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
                              [helper.make_tensor_value_info("y", out_type, None)], initializer=list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="edgeloop-fixtures")
    m.ir_version = 4 if opset <= 10 else 6
    m = onnx.shape_inference.infer_shapes(m)
    onnx.checker.check_model(m)
    if leftovers:
        add_attributes(m, op, **leftovers)
    save(m, name, check=check and not leftovers)


def half(name, arr):
    return numpy_helper.from_array(arr.astype(np.float16), name)


def half_int32_data(name, arr):
    """float16 in int32_data (one 16-bit pattern per int32), as some converters write small tensors."""
    return helper.make_tensor(name, H, arr.shape, arr.astype(np.float16), raw=False)


def make_single_ops():
    xh = [("x", H, [2, 4, 9, 9])]
    single("conv_fp16", "Conv", xh, [half("w", rand(6, 4, 3, 3, scale=0.3)), half("b", rand(6))],
           pads=[1, 1, 1, 1], strides=[2, 2])
    c = 4
    single("batchnorm_fp16", "BatchNormalization", xh,
           [half("s", positive(c)), half("bb", rand(c)), half("m", rand(c)), half("v", positive(c))], epsilon=1e-5)
    single("gemm_fp16_int32data", "Gemm", [("a", H, [3, 5])],
           [half_int32_data("w", rand(4, 5)), half_int32_data("c", rand(4))], transB=1)
    # a Constant node with a float16 value feeding an Add; Constant has no inputs: written by hand
    const = helper.make_node("Constant", [], ["k"], name="k_node",
                             value=numpy_helper.from_array(rand(4, 1, 1).astype(np.float16), "k_value"))
    add = helper.make_node("Add", ["x", "k"], ["y"], name="add_node")
    graph = helper.make_graph([const, add], "constant_fp16", [helper.make_tensor_value_info("x", H, [2, 4, 9, 9])],
                              [helper.make_tensor_value_info("y", H, [2, 4, 9, 9])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 9)], producer_name="edgeloop-fixtures")
    m.ir_version = 4
    save(m, "constant_fp16")
    single("cast_to_fp16", "Cast", [("x", F, [2, 4, 9, 9])], to=H)
    single("cast_from_fp16", "Cast", xh, out_type=F, to=F)

    xf = [("x", F, [2, 4, 9, 9])]
    bn = [numpy_helper.from_array(positive(c), "s"), numpy_helper.from_array(rand(c), "bb"),
          numpy_helper.from_array(rand(c), "m"), numpy_helper.from_array(positive(c), "v")]
    single("dropout_leftover_is_test", "Dropout", xf, opset=7, out_type=F, ratio=0.4, leftovers={"is_test": 1})
    single("batchnorm_leftover_is_test_consumed", "BatchNormalization", xf, bn, opset=7, out_type=F, epsilon=1e-3,
           spatial=1, leftovers={"is_test": 1, "consumed_inputs": [0, 0, 0, 1, 1]})
    single("batchnorm_leftover_op9_spatial1", "BatchNormalization", xf, bn, opset=9, out_type=F,
           leftovers={"spatial": 1})
    single("refused_batchnorm_op9_spatial0", "BatchNormalization", xf, bn, opset=9, out_type=F,
           leftovers={"spatial": 0})
    single("refused_batchnorm_is_test0", "BatchNormalization", xf, bn, opset=7, out_type=F,
           leftovers={"is_test": 0})
    single("refused_dropout_is_test0", "Dropout", xf, opset=7, out_type=F, leftovers={"is_test": 0})


if __name__ == "__main__":
    os.makedirs(LEGACY, exist_ok=True)
    make_single_ops()
    weights = caffe2_weights()
    save(caffe2_network(True, weights), "caffe2_fp16_op8", check=False)
    save(caffe2_network(False, weights), "caffe2_fp32_twin_op8", check=False)

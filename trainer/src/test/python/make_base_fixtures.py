#!/usr/bin/python3
"""Generates two tiny ImageNet-shaped classifiers (1000 outputs) for the 'trainer base pull' tests, which serve them
from a local HTTP server in place of the ONNX Model Zoo files that cannot be downloaded here.

Run with Debian's interpreter (python3-onnx, python3-numpy):

    /usr/bin/python3 trainer/src/test/python/make_base_fixtures.py

Writes into resources/onnx/base/
  imagenet_tiny_nchw_op11.onnx  'data' [N, 3, 32, 32] -> Conv 3x3 (8) -> Relu -> GlobalAveragePool -> Flatten ->
                                Gemm (transB) -> 'logits' [N, 1000]: the shape of an MXNet/PyTorch zoo export
  imagenet_tiny_nhwc_op11.onnx  'images:0' [1, 32, 32, 3] -> Transpose -> Conv -> Relu -> ReduceMean [2, 3] ->
                                MatMul + Add -> Softmax -> 'Softmax:0' [1, 1000]: the shape of EfficientNet-Lite4
                                as tf2onnx wrote it (static batch 1, probabilities out)
Seeded: re-running writes the same bytes.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "resources", "onnx", "base")
CLASSES = 1000
WIDTH = 8


def weights(rng):
    conv_w = (rng.standard_normal((WIDTH, 3, 3, 3)) * 0.3).astype(np.float32)
    conv_b = (rng.standard_normal(WIDTH) * 0.1).astype(np.float32)
    fc_w = (rng.standard_normal((CLASSES, WIDTH)) * 0.2).astype(np.float32)
    fc_b = (rng.standard_normal(CLASSES) * 0.05).astype(np.float32)
    return conv_w, conv_b, fc_w, fc_b


def nchw():
    conv_w, conv_b, fc_w, fc_b = weights(np.random.default_rng(1000))
    nodes = [
        helper.make_node("Conv", ["data", "conv_w", "conv_b"], ["c"], name="conv", pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool"),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "imagenet_tiny_nchw",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", CLASSES])],
        [numpy_helper.from_array(conv_w, "conv_w"), numpy_helper.from_array(conv_b, "conv_b"),
         numpy_helper.from_array(fc_w, "fc_w"), numpy_helper.from_array(fc_b, "fc_b")])
    return graph


def nhwc():
    conv_w, conv_b, fc_w, fc_b = weights(np.random.default_rng(1001))
    nodes = [
        helper.make_node("Transpose", ["images:0"], ["nchw"], name="to_nchw", perm=[0, 3, 1, 2]),
        helper.make_node("Conv", ["nchw", "conv_w", "conv_b"], ["c"], name="conv", pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("ReduceMean", ["r"], ["m"], name="mean", axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["m", "fc_w"], ["mm"], name="model/dense/MatMul"),
        helper.make_node("Add", ["mm", "fc_b"], ["z"], name="model/dense/BiasAdd"),
        helper.make_node("Softmax", ["z"], ["Softmax:0"], name="Softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "imagenet_tiny_nhwc",
        [helper.make_tensor_value_info("images:0", TensorProto.FLOAT, [1, 32, 32, 3])],
        [helper.make_tensor_value_info("Softmax:0", TensorProto.FLOAT, [1, CLASSES])],
        [numpy_helper.from_array(conv_w, "conv_w"), numpy_helper.from_array(conv_b, "conv_b"),
         numpy_helper.from_array(np.ascontiguousarray(fc_w.T), "fc_w"), numpy_helper.from_array(fc_b, "fc_b")])
    return graph


def save(graph, name, producer):
    model = helper.make_model(graph, producer_name=producer, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    save(nchw(), "imagenet_tiny_nchw_op11.onnx", "edgeloop-fixture")
    save(nhwc(), "imagenet_tiny_nhwc_op11.onnx", "tf2onnx")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Measures the weight statistics behind fit's random-base warning (io.edgeloop.trainer.warning.BaseWeights).

For each ONNX file given (default: the committed base and the random fixtures in src/test/resources/onnx/arch):
  - BatchNorm layers whose running statistics are still exactly mean 0 / variance 1 (untouched by training);
  - the pooled correlation r of horizontally and vertically adjacent taps of k×k Conv kernels (each layer
    normalised by its mean squared weight, layers weighted by their pairs) and z = r·sqrt(pairs): about N(0, 1)
    for independent random draws, large for trained (smooth) kernels;
  - the median per-layer excess kurtosis of Conv/Gemm weights with >= 256 values, the statistic that was tried and
    rejected: one epoch of training leaves it at the value of a Kaiming-normal init (~0).

Run from trainer/:  /usr/bin/python3 src/test/python/measure_weight_statistics.py [FILE.onnx ...]
`trainer init` outputs can be measured the same way (java -jar target/trainer.jar init ... --out X.onnx).
Nothing random: the output depends only on the files.
"""
import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def excess_kurtosis(w):
    x = w.astype(np.float64).ravel()
    x = x - x.mean()
    v = (x * x).mean()
    return (x ** 4).mean() / v / v - 3 if v > 0 else float("nan")


def adjacent(w):
    """Sum of adjacent-tap products / pairs / mean squared weight, and the number of pairs, of a [O, I, kh, kw]."""
    w = w.astype(np.float64)
    products = (w[..., :, 1:] * w[..., :, :-1]).sum() + (w[..., 1:, :] * w[..., :-1, :]).sum()
    pairs = w[..., :, 1:].size + w[..., 1:, :].size
    energy = (w * w).mean()
    return (products / pairs / energy if energy > 0 else 0.0), pairs


def measure(path):
    m = onnx.load(path)
    inits = {t.name: t for t in m.graph.initializer}
    identity = {n.output[0]: n.input[0] for n in m.graph.node if n.op_type == "Identity"}

    def value(name):
        for _ in range(16):
            if name in inits or name not in identity:
                break
            name = identity[name]
        t = inits.get(name)
        return None if t is None or t.data_type != onnx.TensorProto.FLOAT else numpy_helper.to_array(t)

    bn = fresh = 0
    weighted = pairs_total = 0.0
    layers = 0
    kurt = []
    for n in m.graph.node:
        if n.op_type == "BatchNormalization" and len(n.input) >= 5:
            mean, var = value(n.input[3]), value(n.input[4])
            if mean is not None and var is not None:
                bn += 1
                fresh += bool(mean.size and np.all(mean == 0) and np.all(var == 1))
        if n.op_type in ("Conv", "Gemm") and len(n.input) > 1:
            w = value(n.input[1])
            if w is None:
                continue
            if w.size >= 256:
                kurt.append(excess_kurtosis(w))
            if n.op_type == "Conv" and w.ndim == 4 and w.shape[2] >= 2 and w.shape[3] >= 2:
                r, p = adjacent(w)
                weighted += r * p
                pairs_total += p
                layers += 1
    r = weighted / pairs_total if pairs_total else 0.0
    z = r * np.sqrt(pairs_total)
    marker = any(p.key == "edgeloop.weights" and p.value == "random-init" for p in m.metadata_props)
    return marker, bn, fresh, layers, int(pairs_total), r, z, (np.median(kurt) if kurt else float("nan"))


def main():
    files = sys.argv[1:] or ([os.path.join(os.path.dirname(TRAINER), "models", "base", "model.onnx")]
                             + sorted(glob.glob(os.path.join(TRAINER, "src/test/resources/onnx/arch/*.onnx"))))
    print("%-44s %6s %7s %6s %8s %7s %6s %9s" % ("file", "marker", "bn f/n", "layers", "pairs", "r", "z",
                                                "kurt med"))
    for f in files:
        marker, bn, fresh, layers, pairs, r, z, k = measure(f)
        print("%-44s %6s %3d/%-3d %6d %8d %+7.3f %6.1f %+9.2f" % (os.path.basename(f)[:44], "yes" if marker else "",
                                                                 fresh, bn, layers, pairs, r, z, k))


if __name__ == "__main__":
    main()

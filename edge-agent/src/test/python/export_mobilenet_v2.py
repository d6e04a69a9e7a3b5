#!/usr/bin/python3
"""Exports a full-size torchvision MobileNetV2 (224x224, 1000 classes) to ONNX for the agent benchmark.

Weights are torchvision's random initialisation with a fixed seed: nothing is downloaded, and timing does not
depend on the weight values. The model is large (about 14 MB), so it is written to /tmp, not committed.

Usage: /usr/bin/python3 edge-agent/src/test/python/export_mobilenet_v2.py [OUT.onnx]
"""
import sys

import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/edgeloop-bench/mobilenet_v2.onnx"
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None, num_classes=1000).eval()
example = torch.randn(1, 3, 224, 224)
import os
os.makedirs(os.path.dirname(out), exist_ok=True)
torch.onnx.export(model, example, out, input_names=["input"], output_names=["logits"], opset_version=13,
                  dynamic_axes=None, do_constant_folding=True)
print(out)

#!/usr/bin/python3
"""Writes the small ONNX fixtures in this folder (run: /usr/bin/python3 make_fixtures.py).

A tiny CNN (Conv 3x3 -> BatchNorm -> ReLU -> global average pool -> Linear, 3 classes, 16x16 RGB
input, dynamic batch) exported by PyTorch's own ONNX exporter (Debian python3-torch 1.13,
opset 13), seed 0:

- torch_tiny_cnn.onnx: plain export, no model card.
- torch_tiny_cnn_init_inputs.onnx: the same, exported with keep_initializers_as_inputs=True
  (weights also listed as graph inputs, as older exporters do).
- torch_tiny_cnn_card.onnx: the plain export with a model card written by the Python onnx
  package under metadata key edgeloop.model_card (cross-language check of the card format).
- torch_tiny_cnn.expected.json: logits PyTorch computes for two fixed inputs, for runtime
  comparisons in other modules.
"""
import json
import os

import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(4, 3)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def export(model, name, **kwargs):
    path = os.path.join(HERE, name)
    torch.onnx.export(model, torch.zeros(1, 3, 16, 16), path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13, **kwargs)
    return path


torch.manual_seed(0)
model = TinyCnn()
with torch.no_grad():  # non-trivial BatchNorm statistics, so the fixture exercises them
    model.features[1].running_mean.uniform_(-0.5, 0.5)
    model.features[1].running_var.uniform_(0.5, 1.5)
model.eval()

plain = export(model, "torch_tiny_cnn.onnx")
export(model, "torch_tiny_cnn_init_inputs.onnx", keep_initializers_as_inputs=True)

card = {
    "schema": 1, "name": "torch-tiny-cnn", "version": "1", "created": "2026-11-28T18:00:00Z",
    "labels": ["circle", "square", "triangle"],
    "input": {"name": "input", "shape": [-1, 3, 16, 16]},
    "preprocessing": {"resize": "SHORTER_SIDE", "resizeSize": 18, "cropSize": 16,
                      "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                      "valueScale": 1.0 / 255.0, "colourOrder": "RGB"},
    "output": {"kind": "logits", "name": "logits"},
    "temperature": 1.5,
    "notes": {"source": "protocol/src/test/resources/io/edgeloop/protocol/model/make_fixtures.py"},
}
m = onnx.load(plain)
onnx.helper.set_model_props(m, {"edgeloop.model_card": json.dumps(card), "author": "make_fixtures.py"})
onnx.checker.check_model(m)
onnx.save(m, os.path.join(HERE, "torch_tiny_cnn_card.onnx"))

inputs = {"zeros": torch.zeros(1, 3, 16, 16),
          "ramp": torch.arange(3 * 16 * 16, dtype=torch.float32).reshape(1, 3, 16, 16) / 768.0 - 0.5}
with torch.no_grad():
    expected = {k: model(v)[0].tolist() for k, v in inputs.items()}
with open(os.path.join(HERE, "torch_tiny_cnn.expected.json"), "w") as f:
    json.dump({"inputs": {"zeros": "all 0", "ramp": "arange(768) / 768 - 0.5 reshaped to [1, 3, 16, 16]"},
               "logits": expected}, f, indent=2)
    f.write("\n")

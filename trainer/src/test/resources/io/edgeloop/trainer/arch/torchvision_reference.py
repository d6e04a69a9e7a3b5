#!/usr/bin/python3
"""Writes torchvision-params.json: the parameter and buffer names and shapes of torchvision's MobileNetV2 and
ResNet18, the structural truth the edgeloop architecture builders are tested against (ArchitectureStructureTest).

Run with Debian's python3-torchvision (torch 1.13, torchvision 0.14):
    /usr/bin/python3 torchvision_reference.py > torchvision-params.json
"""
import json
import sys

import torch
import torchvision

CONFIGS = [
    ("mobilenetv2", 1.0, 1000, lambda: torchvision.models.mobilenet_v2()),
    ("mobilenetv2", 0.35, 4, lambda: torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=4)),
    ("mobilenetv2", 1.4, 10, lambda: torchvision.models.mobilenet_v2(width_mult=1.4, num_classes=10)),
    ("resnet18", 1.0, 1000, lambda: torchvision.models.resnet18()),
]


def describe(arch, width, classes, make):
    torch.manual_seed(0)
    model = make()
    params = [[n, list(p.shape)] for n, p in model.named_parameters()]
    buffers = [[n, list(b.shape)] for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")]
    return {
        "arch": arch,
        "width": width,
        "classes": classes,
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "parameters": params,
        "buffers": buffers,
        "torchvision": torchvision.__version__,
    }


json.dump([describe(*c) for c in CONFIGS], sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")

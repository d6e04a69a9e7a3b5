#!/usr/bin/python3
"""Writes torchvision-outputs.json: what torchvision's own modules compute with the weights edgeloop's builders
generate. ArchitectureOrtTest rebuilds the same models in Java, runs them in ONNX Runtime and compares, so the
ONNX graphs are checked to compute exactly torchvision's networks (and the weights to be reproducible).

1. Generate the models (from the repository root, after ./mvnw -q -pl trainer -am compile; CP as in the
   trainer's classpath):
     java -cp $CP io.edgeloop.trainer.arch.InitCommand --arch mobilenetv2 --width 0.35 --image-size 32 --classes 4 --seed 7 --out /tmp/ref/mobilenetv2.onnx
     java -cp $CP io.edgeloop.trainer.arch.InitCommand --arch resnet18 --width 0.25 --image-size 32 --classes 5 --seed 7 --out /tmp/ref/resnet18.onnx
     java -cp $CP io.edgeloop.trainer.arch.InitCommand --arch simplecnn --width 0.5 --image-size 28 --classes 6 --seed 7 --out /tmp/ref/simplecnn.onnx
2. /usr/bin/python3 torchvision_outputs.py /tmp/ref > torchvision-outputs.json

Input: batch 2, x[i] = ((i * 7919) % 1001) / 500 - 1 over the flat NCHW index i (float32), the same in the test.
"""
import hashlib
import json
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper
from torch import nn


def simplecnn(width, classes):
    def scaled(c):  # torchvision's _make_divisible(c * width, 8)
        v = c * width
        r = max(8, int(v + 4) // 8 * 8)
        return r + 8 if r < 0.9 * v else r

    layers, cin = [], 3
    for stage, c in enumerate([32, 64, 128, 256]):
        cout = scaled(c)
        layers += [nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        if stage < 3:
            layers.append(nn.MaxPool2d(2, 2))
        cin = cout

    class SimpleCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*layers)
            self.classifier = nn.Linear(cin, classes)

        def forward(self, x):
            x = self.features(x)
            return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))

    return SimpleCnn()


CONFIGS = [
    ("mobilenetv2", 0.35, 32, 4, 7, lambda: torchvision.models.mobilenet_v2(width_mult=0.35, num_classes=4)),
    ("resnet18", 0.25, 32, 5, 7, None),
    ("simplecnn", 0.5, 28, 6, 7, lambda: simplecnn(0.5, 6)),
]


def resnet18_width(width, classes):
    # torchvision's ResNet with BasicBlock has no width option; build it at width 1 and narrow every layer the
    # way the Java builder does, by constructing the model with scaled channels.
    from torchvision.models.resnet import BasicBlock, ResNet

    def scaled(c):
        v = c * width
        r = max(8, int(v + 4) // 8 * 8)
        return r + 8 if r < 0.9 * v else r

    class NarrowResNet(ResNet):
        def __init__(self):
            nn.Module.__init__(self)
            self._norm_layer = nn.BatchNorm2d
            self.inplanes = scaled(64)
            self.dilation = 1
            self.groups = 1
            self.base_width = 64
            self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(self.inplanes)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = self._make_layer(BasicBlock, scaled(64), 2)
            self.layer2 = self._make_layer(BasicBlock, scaled(128), 2, stride=2)
            self.layer3 = self._make_layer(BasicBlock, scaled(256), 2, stride=2)
            self.layer4 = self._make_layer(BasicBlock, scaled(512), 2, stride=2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(scaled(512), classes)

    return NarrowResNet()


def main(directory):
    out = []
    for arch, width, size, classes, seed, make in CONFIGS:
        model_proto = onnx.load(f"{directory}/{arch}.onnx")
        onnx.checker.check_model(model_proto, full_check=True)
        meta = {p.key: json.loads(p.value) for p in model_proto.metadata_props}["edgeloop.arch"]
        assert (meta["arch"], meta["width"], meta["imageSize"], meta["classes"], meta["seed"]) == (
            arch, width, size, classes, seed), meta
        digest = hashlib.sha256()
        state = {}
        for init in model_proto.graph.initializer:
            array = numpy_helper.to_array(init)
            digest.update(array.astype("<f4").tobytes())
            if not init.name.startswith("relu6."):
                state[init.name] = torch.from_numpy(array.copy())
        model = make() if make else resnet18_width(width, classes)
        result = model.load_state_dict(state, strict=False)
        assert not result.unexpected_keys and all(k.endswith("num_batches_tracked") for k in result.missing_keys), result
        model.eval()
        n = 2 * 3 * size * size
        x = ((np.arange(n, dtype=np.int64) * 7919) % 1001) / 500.0 - 1.0
        x = torch.from_numpy(x.astype(np.float32).reshape(2, 3, size, size))
        with torch.no_grad():
            logits = model(x)
        out.append({
            "arch": arch, "width": width, "imageSize": size, "classes": classes, "seed": seed, "batch": 2,
            "initializersSha256": digest.hexdigest(),
            "logits": [[float(v) for v in row] for row in logits.numpy()],
            "torch": torch.__version__, "torchvision": torchvision.__version__,
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


main(sys.argv[1])

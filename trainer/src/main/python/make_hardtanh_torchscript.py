#!/usr/bin/python3
"""Writes the TorchScript modules the importer uses for Clip (ClipOp / Hardtanh.java).

Run with Debian's interpreter (python3-torch):

    /usr/bin/python3 trainer/src/main/python/make_hardtanh_torchscript.py

Output, in trainer/src/main/resources/io/edgeloop/trainer/onnx/op/:
- hardtanh.pt, a scripted module whose forward(x, bounds) is torch.nn.functional.hardtanh(x, bounds[0],
  bounds[1]): the clamp's value with a one-pass backward (DJL exposes clamp, whose backward costs four passes, but
  not hardtanh);
- hardtanh_inplace.pt, the same with inplace=True (aten::hardtanh_, as torchvision's ReLU6(inplace=True)): it
  overwrites x and returns it, for a Clip whose input nothing else reads.
The bounds travel as a 2-element float tensor because DJL runs modules with gradients only through its tensor-list
forward. No weights; TorchScript files load in newer libtorch versions.
"""
import os

import torch


class Hardtanh(torch.nn.Module):
    def forward(self, x: torch.Tensor, bounds: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.hardtanh(x, float(bounds[0]), float(bounds[1]))


class HardtanhInplace(torch.nn.Module):
    def forward(self, x: torch.Tensor, bounds: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.hardtanh(x, float(bounds[0]), float(bounds[1]), inplace=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.join(here, "..", "resources", "io", "edgeloop", "trainer", "onnx", "op")
    for name, module in (("hardtanh.pt", Hardtanh()), ("hardtanh_inplace.pt", HardtanhInplace())):
        out = os.path.normpath(os.path.join(folder, name))
        torch.jit.script(module).save(out)
        print("wrote", out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes the TorchScript module the importer uses for Clip in training nodes (ClipOp / Hardtanh.java).

Run with Debian's interpreter (python3-torch):

    /usr/bin/python3 trainer/src/main/python/make_hardtanh_torchscript.py

Output: trainer/src/main/resources/io/edgeloop/trainer/onnx/op/hardtanh.pt, a scripted module whose forward(x,
bounds) is torch.nn.functional.hardtanh(x, bounds[0], bounds[1]): the clamp's value with a one-pass backward (DJL
exposes clamp, whose backward costs four passes, but not hardtanh). The bounds travel as a 2-element float tensor
because DJL runs modules with gradients only through its tensor-list forward. No weights; TorchScript files load in
newer libtorch versions.
"""
import os

import torch


class Hardtanh(torch.nn.Module):
    def forward(self, x: torch.Tensor, bounds: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.hardtanh(x, float(bounds[0]), float(bounds[1]))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "io", "edgeloop", "trainer", "onnx", "op", "hardtanh.pt")
    torch.jit.script(Hardtanh()).save(os.path.normpath(out))
    print("wrote", os.path.normpath(out), os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Exports a torchvision ImageNet classifier as an edgeloop base: an ONNX model package whose model card carries
the weights' own preprocessing and the 1000 ImageNet class names, ready for `trainer fit --base`.

Run it on a workstation that has torch + torchvision (pip, conda or Debian's python3-torch/python3-torchvision):

    scripts/export-torchvision-base.py --model mobilenet_v2 --out bases/mobilenet_v2/model.onnx
    scripts/export-torchvision-base.py --model resnet18 --weights ~/Downloads/resnet18-f37072fd.pth --out r18.onnx

--weights DEFAULT (the default) takes torchvision's recommended weights for the model: torchvision downloads them
once into ~/.cache/torch/hub/checkpoints (or uses a file already there); a .pth path loads a state dict you copied
in by hand (offline machines). --weights none exports the untrained architecture: the card then says
"weights: random-init" and `trainer fit` warns that it is no pretrained base (useful to test the pipeline only).

What is written: opset 13 (override with --opset), dynamic batch, input "input" [N, 3, S, S], output "logits"
[N, 1000], BatchNorm kept as BatchNormalization nodes (--fold-bn folds it into the convolutions instead; either
trains), and the card (metadata key edgeloop.model_card) with resize/crop/mean/std from the weights' transforms.
"""
import argparse
import datetime
import json
import os
import sys

import onnx
import torch
import torchvision
from torchvision.models._meta import _IMAGENET_CATEGORIES

CARD_KEY = "edgeloop.model_card"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="torchvision model name, e.g. mobilenet_v2, resnet18, "
                   "efficientnet_b0, squeezenet1_1 (torchvision.models.list_models())")
    p.add_argument("--weights", default="DEFAULT", help="DEFAULT, a torchvision weights name (IMAGENET1K_V2), "
                   "a .pth state dict file, or none (random init). Default: DEFAULT")
    p.add_argument("--size", type=int, default=None, help="input side; default: the weights' crop size")
    p.add_argument("--opset", type=int, default=13, help="ONNX opset. Default: 13")
    p.add_argument("--fold-bn", action="store_true", help="fold BatchNorm into the convolutions")
    p.add_argument("--name", default=None, help="model card name; default: the model name")
    p.add_argument("--out", required=True, help="output .onnx file (its folder is created)")
    return p.parse_args()


def fail(message):
    print("export-torchvision-base: " + message, file=sys.stderr)
    sys.exit(2)


def load(args):
    names = torchvision.models.list_models(module=torchvision.models)
    if args.model not in names:
        fail("unknown --model %s; allowed one of: %s" % (args.model, ", ".join(sorted(names))))
    weights_enum = torchvision.models.get_model_weights(args.model)
    default = weights_enum.DEFAULT
    if args.weights.lower() == "none":
        return torchvision.models.get_model(args.model, weights=None), default, "random-init"
    if os.path.isfile(args.weights):
        model = torchvision.models.get_model(args.model, weights=None)
        state = torch.load(args.weights, map_location="cpu")
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            fail("--weights %s does not fit %s: missing %s, unexpected %s"
                 % (args.weights, args.model, missing[:5], unexpected[:5]))
        return model, default, "state dict " + os.path.basename(args.weights)
    try:
        weights = default if args.weights == "DEFAULT" else weights_enum[args.weights]
    except KeyError:
        fail("--weights %s is not a weights name of %s; allowed DEFAULT, none, a .pth file or one of %s"
             % (args.weights, args.model, [w.name for w in weights_enum]))
    return torchvision.models.get_model(args.model, weights=weights), weights, "torchvision " + str(weights)


def card(args, weights, provenance, size):
    t = weights.transforms()
    crop = size
    resize = round(t.resize_size[0] * size / t.crop_size[0])
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    labels = list(_IMAGENET_CATEGORIES)
    return {
        "schema": 1,
        "name": args.name or args.model.replace("_", "-"),
        "version": "1",
        "created": now.isoformat().replace("+00:00", "Z"),
        "labels": labels,
        "input": {"name": "input", "shape": [-1, 3, size, size]},
        "preprocessing": {"resize": "SHORTER_SIDE", "resizeSize": resize, "cropSize": crop,
                          "mean": [float(v) for v in t.mean], "std": [float(v) for v in t.std],
                          "valueScale": 1.0 / 255.0, "colourOrder": "RGB"},
        "output": {"kind": "logits", "name": "logits"},
        "temperature": 1.0,
        "notes": {
            "source": "torchvision %s %s" % (torchvision.__version__, args.model),
            "weights": provenance,
            "task": "ImageNet-1k classification (%d classes)" % len(labels),
            "command": "scripts/export-torchvision-base.py " + " ".join(sys.argv[1:]),
        },
    }


def main():
    args = parse_args()
    model, weights, provenance = load(args)
    model.eval()
    size = args.size or weights.transforms().crop_size[0]
    if size < 32:
        fail("--size %d is too small for an ImageNet CNN; allowed >= 32" % size)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    dummy = torch.zeros(1, 3, size, size)
    mode = torch.onnx.TrainingMode.EVAL if args.fold_bn else torch.onnx.TrainingMode.PRESERVE
    torch.onnx.export(model, dummy, args.out, opset_version=args.opset, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      training=mode, do_constant_folding=args.fold_bn)
    exported = onnx.load(args.out)
    entry = exported.metadata_props.add()
    entry.key = CARD_KEY
    entry.value = json.dumps(card(args, weights, provenance, size))
    onnx.checker.check_model(exported)
    onnx.save(exported, args.out)
    print("%s: %s at %dx%d, %s, %.1f MB" % (args.out, args.model, size, size, provenance,
                                             os.path.getsize(args.out) / 1e6))


if __name__ == "__main__":
    main()

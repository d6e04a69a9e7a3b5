#!/usr/bin/python3
"""PyTorch eager reference for the trainer's training-speed benchmark (TrainingBenchmark.java starts it).

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14, python3-onnx):

    /usr/bin/python3 trainer/src/test/python/bench_pytorch.py --onnx model.onnx --data batch.bin --threads 1

It builds torchvision's mobilenet_v2 (width 1.0), loads every ONNX initializer into it by name (the edgeloop
graph uses torchvision's state_dict names, so every key must match), replaces the classifier by the new head the
Java side drew (weights in the data file; no Dropout, as in edgeloop's LinearHead) and trains it on the same fixed
batch with the same optimiser as edgeloop's GroupedOptimizer: AdamW (betas 0.9/0.999, eps 1e-8), decoupled weight
decay on parameters with more than one dimension only, the backbone at lr × backbone factor; the loss is
cross-entropy with label smoothing, as edgeloop's ClassificationLoss computes it.

Three strategies, each on its own copy of the initial weights and its own optimiser, so the step sequence (and
the loss trajectory) is the one the Java side runs:
  head         backbone frozen (requires_grad False) in eval mode, forward through it every step, head trains;
  head-cached  the head trains on backbone features computed once (eval mode);
  full         everything trains, BatchNorm in training mode.

Protocol (line-based, stdin → stdout; logs go to stderr):
  first line out: {"ready": true, "torch": ..., "threads": ..., ...}
  in:  {"strategy": "full", "steps": 5}            (optional "profile": file → autograd profiler chrome trace)
  out: {"strategy": "full", "seconds": [...], "cpu_seconds": [...], "losses": [...], "phases": [[f, b, o], ...]}
       per step: wall-clock duration, process CPU time, loss, seconds of forward + loss, backward, optimiser
  in:  {"quit": true}
The data file holds little-endian float32 images N×3×S×S, int32 labels N, float32 head weight K×F, bias K; its
layout is given by --batch, --size, --classes, --features.
"""
import argparse
import json
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper
from torchvision.models import mobilenet_v2


def log(*args):
    print("[bench_pytorch]", *args, file=sys.stderr, flush=True)


def read_data(path, batch, size, classes, features):
    raw = open(path, "rb").read()
    counts = [batch * 3 * size * size, batch, classes * features, classes]
    expected = 4 * sum(counts)
    if len(raw) != expected:
        raise SystemExit(f"{path}: {len(raw)} bytes, expected {expected} for batch {batch}, size {size}, "
                         f"classes {classes}, features {features}")
    offset = 0
    parts = []
    for count, dtype in zip(counts, ["<f4", "<i4", "<f4", "<f4"]):
        parts.append(np.frombuffer(raw, dtype=dtype, count=count, offset=offset).copy())
        offset += 4 * count
    images = torch.from_numpy(parts[0].reshape(batch, 3, size, size))
    labels = torch.from_numpy(parts[1].astype(np.int64))
    weight = torch.from_numpy(parts[2].reshape(classes, features))
    bias = torch.from_numpy(parts[3])
    return images, labels, weight, bias


def build_model(initializers, head_weight, head_bias, classes):
    model = mobilenet_v2(width_mult=1.0, num_classes=classes)
    state = model.state_dict()
    missing = [k for k in state if not k.startswith("classifier.") and not k.endswith("num_batches_tracked")
               and k not in initializers]
    if missing:
        raise SystemExit(f"ONNX initializers missing for torchvision keys: {missing[:10]} ({len(missing)} in all)")
    with torch.no_grad():
        for key, tensor in state.items():
            if key in initializers and not key.startswith("classifier."):
                value = initializers[key]
                if tuple(value.shape) != tuple(tensor.shape):
                    raise SystemExit(f"initializer {key} has shape {tuple(value.shape)}, torchvision "
                                     f"expects {tuple(tensor.shape)}")
                tensor.copy_(value)
    head = nn.Linear(head_weight.shape[1], classes)
    with torch.no_grad():
        head.weight.copy_(head_weight)
        head.bias.copy_(head_bias)
    model.classifier = nn.Sequential(nn.Identity(), head)
    return model


def adamw(model, lr, backbone_factor, weight_decay, head_only):
    """AdamW parameter groups as GroupedOptimizer forms them: head at lr, backbone at lr × factor, decay on ndim > 1."""
    groups = []
    for prefix, factor in (("classifier.", 1.0), ("features.", backbone_factor)):
        params = [p for n, p in model.named_parameters() if n.startswith(prefix) and p.requires_grad]
        if head_only and prefix == "features.":
            params = []
        decay = [p for p in params if p.dim() > 1]
        plain = [p for p in params if p.dim() <= 1]
        if decay:
            groups.append({"params": decay, "lr": lr * factor, "weight_decay": weight_decay})
        if plain:
            groups.append({"params": plain, "lr": lr * factor, "weight_decay": 0.0})
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)


class Run:
    """One strategy: its own model copy, optimiser and step function."""

    def __init__(self, strategy, initializers, head_weight, head_bias, args, images, labels):
        self.strategy = strategy
        self.images = images
        self.labels = labels
        self.smoothing = args.label_smoothing
        self.model = build_model(initializers, head_weight, head_bias, args.classes)
        if strategy == "full":
            self.model.train()
            for p in self.model.parameters():
                p.requires_grad_(True)
        else:
            for p in self.model.features.parameters():
                p.requires_grad_(False)
            self.model.features.eval()
            self.model.classifier.train()
        self.optimizer = adamw(self.model, args.lr, args.backbone_lr_factor, args.weight_decay,
                               head_only=strategy != "full")
        self.features = None
        if strategy == "head-cached":
            with torch.no_grad():
                x = self.model.features(images)
                x = F.adaptive_avg_pool2d(x, (1, 1))
                self.features = torch.flatten(x, 1)

    def step(self):
        """One step; returns the loss and the seconds of its phases (forward + loss, backward, optimiser)."""
        start = time.perf_counter()
        if self.features is not None:
            logits = self.model.classifier(self.features)
        else:
            logits = self.model(self.images)
        loss = F.cross_entropy(logits, self.labels, label_smoothing=self.smoothing)
        loss_value = loss.item()
        forward = time.perf_counter()
        loss.backward()
        # what FineTuner also does each step: read the logits back for the accuracy
        logits.detach().numpy()
        backward = time.perf_counter()
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        end = time.perf_counter()
        return loss_value, [forward - start, backward - forward, end - backward]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--onnx", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--classes", type=int, required=True)
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--interop-threads", type=int, default=1)
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--backbone-lr-factor", type=float, required=True)
    p.add_argument("--weight-decay", type=float, required=True)
    p.add_argument("--label-smoothing", type=float, required=True)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.interop_threads)
    torch.manual_seed(0)
    model_proto = onnx.load(args.onnx)
    initializers = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
                    for t in model_proto.graph.initializer}
    images, labels, head_weight, head_bias = read_data(args.data, args.batch, args.size, args.classes,
                                                       args.features)
    runs = {s: Run(s, initializers, head_weight, head_bias, args, images, labels)
            for s in ("head", "head-cached", "full")}
    import torchvision
    print(json.dumps({"ready": True, "torch": torch.__version__, "torchvision": torchvision.__version__,
                      "python": sys.version.split()[0], "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(),
                      "mkldnn": torch.backends.mkldnn.is_available()}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        if cmd.get("quit"):
            break
        run = runs.get(cmd["strategy"])
        if run is None:
            raise SystemExit(f"unknown strategy {cmd['strategy']!r}, expected one of {sorted(runs)}")
        seconds = []
        cpu = []
        losses = []
        phases = []
        profile = cmd.get("profile")
        profiler = torch.autograd.profiler.profile() if profile else None
        if profiler is not None:
            profiler.__enter__()
        for _ in range(int(cmd["steps"])):
            start = time.perf_counter()
            start_cpu = time.process_time()
            loss, phase = run.step()
            losses.append(loss)
            phases.append(phase)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        if profiler is not None:
            profiler.__exit__(None, None, None)
            profiler.export_chrome_trace(profile)
        print(json.dumps({"strategy": run.strategy, "seconds": seconds, "cpu_seconds": cpu, "losses": losses,
                          "phases": phases}),
              flush=True)


if __name__ == "__main__":
    main()

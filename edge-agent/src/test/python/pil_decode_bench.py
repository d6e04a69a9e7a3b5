#!/usr/bin/python3
"""PIL's side of DecodeBenchmark: decode, and decode + resize + crop + normalise, per image file.

For each FILE prints one line "FILE decode_ms preprocess_ms": the median over ROUNDS rounds of the mean
milliseconds per call over REPEAT calls, on one thread, after one warm-up round. decode is
Image.open(BytesIO(data)).convert("RGB") with the pixels loaded; preprocess adds what torchvision's
Resize(256) -> CenterCrop(224) -> ToTensor -> Normalize(ImageNet) does on a PIL image (antialiased bilinear
resize of the shorter side to 256, crop, float32 normalise with numpy). The file bytes are read once, before timing.

Usage: /usr/bin/python3 edge-agent/src/test/python/pil_decode_bench.py REPEAT ROUNDS FILE...
"""
import io
import statistics
import sys
import time

import numpy
from PIL import Image

MEAN = numpy.array([0.485, 0.456, 0.406], dtype=numpy.float32)
STD = numpy.array([0.229, 0.224, 0.225], dtype=numpy.float32)


def decode(data):
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.load()
    return image


def preprocess(data):
    image = decode(data)
    w, h = image.size
    short, long_ = (w, h) if w <= h else (h, w)
    size = (256, int(256 * long_ / short)) if w <= h else (int(256 * long_ / short), 256)
    image = image.resize(size, Image.BILINEAR)
    left = int(round((size[0] - 224) / 2.0))
    top = int(round((size[1] - 224) / 2.0))
    image = image.crop((left, top, left + 224, top + 224))
    array = numpy.asarray(image, dtype=numpy.float32) / 255.0
    return ((array - MEAN) / STD).transpose(2, 0, 1).copy()


def timed(function, data, repeat, rounds):
    medians = []
    for r in range(rounds + 1):
        t0 = time.perf_counter()
        for _ in range(repeat):
            function(data)
        if r > 0:
            medians.append((time.perf_counter() - t0) * 1000.0 / repeat)
    return statistics.median(medians)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    repeat, rounds = int(sys.argv[1]), int(sys.argv[2])
    for path in sys.argv[3:]:
        with open(path, "rb") as f:
            data = f.read()
        print("%s %.3f %.3f" % (path, timed(decode, data, repeat, rounds), timed(preprocess, data, repeat, rounds)))


if __name__ == "__main__":
    main()

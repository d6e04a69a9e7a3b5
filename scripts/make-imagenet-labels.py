#!/usr/bin/python3
"""Writes the 1000 ImageNet-1k class names, one per line in output order, for 'trainer base pull'.

The names are torchvision's (torchvision.models._meta._IMAGENET_CATEGORIES, the list every torchvision classifier's
weights carry as meta["categories"]): WordNet synsets of ILSVRC-2012 in the standard sorted-wnid order that the
ONNX Model Zoo's synset.txt, MXNet Gluon, Caffe and TF-slim (after dropping "background") use too, with the two
duplicate names torchvision disambiguates ("crane" bird/machine, "maillot") kept unique, as a model card requires.

Run with Debian's interpreter (python3-torchvision):

    /usr/bin/python3 scripts/make-imagenet-labels.py

Re-running writes the same file.
"""
import os

from torchvision.models._meta import _IMAGENET_CATEGORIES

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                   "trainer/src/main/resources/io/edgeloop/trainer/base/imagenet-1k-labels.txt")


def main():
    names = list(_IMAGENET_CATEGORIES)
    if len(names) != 1000 or len(set(names)) != 1000:
        raise SystemExit("expected 1000 unique names, got %d (%d unique)" % (len(names), len(set(names))))
    for name in names:
        if not name.strip() or "\n" in name:
            raise SystemExit("blank or multi-line name: %r" % name)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(names) + "\n")
    print("wrote %d labels to %s" % (len(names), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()

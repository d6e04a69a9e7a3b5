#!/usr/bin/python3
"""Generates the preprocessing test fixtures: small real photos and torchvision reference crops.

Run with Debian's interpreter (it sees python3-pil, python3-torch, python3-torchvision, python3-skimage):

    /usr/bin/python3 protocol/src/test/python/make_reference.py

Images come from the photos Debian's python3-skimage ships. Each is stored in a form the Java decoder must
handle: baseline JPEG with an ICC profile, progressive 4:2:2 JPEG, PNG, greyscale JPEG, RGBA PNG, palette PNG,
CMYK and YCCK JPEG, a JPEG with EXIF orientation 6, BMP (24-bit, and a hand-written 16-bit 565 one). Tiny PNGs
carry every EXIF orientation (eXIf), and orientation in an ImageMagick raw profile and in XMP, each with PIL's
upright pixels beside it (``<image>.<w>x<h>.rgb``). For the CMYK/YCCK JPEGs PIL's full decoded RGB is stored too
(``<image>.decoded.rgb.gz``). Synthetic seeded raw frames (``synthetic_*.rgb.gz``) cover upscaling and padding.

For every image and every reference transform, the script runs the real torchvision pipeline
(``Resize(size) + CenterCrop(crop) + ToTensor() + Normalize(ImageNet)`` on the PIL image, after
``ImageOps.exif_transpose`` and ``convert("RGB")``) and writes the normalised tensor compactly: the tensor is
``(u8 / 255 - mean) / std`` of an 8-bit crop, so the script recovers those 8-bit values, checks that they
reproduce torchvision's float tensor (measured: exactly), and stores them gzip'd (``<image>.<transform>.bin.gz``: the ASCII
magic ``EDGEREF1``, then channels, height, width as big-endian int32, then the CHW uint8 values). The Java test
rebuilds the float tensor from them with ImageNet mean/std and compares it to ``ImagePreprocessor``.
"""
import gzip
import io
import shutil
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image, ImageOps
from torchvision import transforms

SKIMAGE = Path("/usr/lib/python3/dist-packages/skimage/data")
OUT = Path(__file__).resolve().parents[1] / "resources" / "images"
# Largest difference seen between torchvision's tensor and the one rebuilt from the stored 8-bit values.
MAX_REBUILD_ERROR = [0.0]
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)

# name -> (resize argument, crop). An int resize is torchvision's shorter-side resize; a pair is exact.
TRANSFORMS = {
    "r256c224": (256, 224),
    "r146c128": (146, 128),
    "e200c192": ((200, 200), 192),
}
# Images whose full decoded RGB (PIL's, after exif_transpose) is stored too, as <image>.decoded.rgb.gz, to test
# decoding apart from resizing: the colour conversions Java ImageIO does differently by default.
DECODED = {"coffee_cmyk.jpg", "coffee_ycck.jpg"}
# The exact-size transform only for a few images, to keep the fixtures small.
EXACT_IMAGES = {"chelsea.png", "coffee.bmp"}
# Images with only the 256/224 reference.
ONLY_224 = {"chelsea_progressive.jpg", "coffee.jpg", "coffee_cmyk.jpg", "coffee_ycck.jpg", "chelsea_palette.png",
            "motorcycle_alpha.png"}


def make_images():
    OUT.mkdir(parents=True, exist_ok=True)
    made = []

    # A real JPEG as shipped (640x427, 4:2:0, embedded ICC profile that PIL ignores).
    shutil.copyfile(SKIMAGE / "rocket.jpg", OUT / "rocket.jpg")
    made.append("rocket.jpg")

    # Odd-sized RGB PNG (451x300).
    Image.open(SKIMAGE / "chelsea.png").convert("RGB").save(OUT / "chelsea.png", optimize=True)
    made.append("chelsea.png")

    # Progressive JPEG with 4:2:2 subsampling and optimised Huffman tables, as web images often are.
    Image.open(SKIMAGE / "chelsea.png").convert("RGB").save(OUT / "chelsea_progressive.jpg", quality=88,
                                                              progressive=True, subsampling=1, optimize=True)
    made.append("chelsea_progressive.jpg")

    # RGB JPEG, quality 85, default 4:2:0 subsampling.
    Image.open(SKIMAGE / "coffee.png").convert("RGB").save(OUT / "coffee.jpg", quality=85)
    made.append("coffee.jpg")

    # Greyscale JPEG (one component).
    Image.open(SKIMAGE / "camera.png").convert("L").save(OUT / "camera_grey.jpg", quality=90)
    made.append("camera_grey.jpg")

    # RGBA PNG whose colour under transparent pixels is not black or white: alpha must be dropped, not composited.
    motorcycle = Image.open(SKIMAGE / "motorcycle_left.png").convert("RGB").resize((370, 250), Image.BILINEAR)
    alpha = np.tile(np.linspace(0, 255, 370).astype(np.uint8), (250, 1))
    rgba = motorcycle.copy()
    rgba.putalpha(Image.fromarray(alpha, "L"))
    rgba.save(OUT / "motorcycle_alpha.png", optimize=True)
    made.append("motorcycle_alpha.png")

    # Palette PNG (64 colours) with a transparent palette entry.
    palette = Image.open(SKIMAGE / "chelsea.png").convert("RGB").quantize(colors=64, method=Image.MEDIANCUT)
    palette.save(OUT / "chelsea_palette.png", optimize=True, transparency=0)
    made.append("chelsea_palette.png")

    # CMYK JPEG with real black ink (80% under-colour removal; PIL's own convert("CMYK") never uses K).
    # PIL writes Adobe-inverted CMYK with an APP14 marker (transform 0).
    small = Image.open(SKIMAGE / "coffee.png").convert("RGB").resize((300, 200), Image.BILINEAR)
    cmy = 255 - np.asarray(small).astype(np.int32)
    k = (cmy.min(axis=2, keepdims=True) * 0.8).astype(np.int32)
    cmyk = np.concatenate([cmy - k, k], axis=2).astype(np.uint8)
    Image.fromarray(cmyk, "CMYK").save(OUT / "coffee_cmyk.jpg", quality=90)
    made.append("coffee_cmyk.jpg")

    # YCCK JPEG (Adobe transform 2), as Photoshop writes CMYK. PIL cannot write one, so the YCC planes are written
    # as (inverted) CMYK samples and the APP14 transform byte is patched from 0 to 2; libjpeg (PIL, Java) then
    # converts them back. The reference is whatever PIL decodes from the patched file.
    ycc = np.asarray(small.convert("YCbCr")).astype(np.int32)
    k_stored = np.tile(np.linspace(255, 90, 300).astype(np.int32), (200, 1))[..., None]
    planes = np.concatenate([ycc, k_stored], axis=2)
    buf = io.BytesIO()
    Image.fromarray((255 - planes).astype(np.uint8), "CMYK").save(buf, "JPEG", quality=90)
    data = bytearray(buf.getvalue())
    adobe = data.find(b"Adobe")  # after FF EE and the length: "Adobe", version(2), flags0(2), flags1(2), transform
    assert adobe > 4 and data[adobe - 4:adobe - 2] == b"\xff\xee" and data[adobe + 11] == 0, \
        "expected an Adobe APP14 segment with transform 0"
    data[adobe + 11] = 2
    (OUT / "coffee_ycck.jpg").write_bytes(bytes(data))
    with Image.open(OUT / "coffee_ycck.jpg") as check:
        assert check.mode == "CMYK" and check.info.get("adobe_transform") == 2, check.info
    made.append("coffee_ycck.jpg")

    # JPEG stored sideways with EXIF orientation 6 (display = stored rotated 90 degrees clockwise).
    upright = Image.open(SKIMAGE / "astronaut.png").convert("RGB").resize((320, 240), Image.BILINEAR)
    stored = upright.transpose(Image.ROTATE_90)  # 240x320 stored; rotating it 90 degrees clockwise restores it
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(OUT / "astronaut_exif6.jpg", quality=90, exif=exif.tobytes())
    made.append("astronaut_exif6.jpg")

    # Tiny lossless PNGs with every EXIF orientation, each with PIL's upright result as raw RGB beside it.
    rng = np.random.default_rng(7)
    pattern = Image.fromarray(rng.integers(0, 256, (5, 7, 3), dtype=np.uint8), "RGB")
    for value in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = value
        name = f"orientation{value}.png"
        pattern.save(OUT / name, exif=exif.tobytes())
        with Image.open(OUT / name) as im:
            upright = ImageOps.exif_transpose(im).convert("RGB")
        (OUT / f"{name}.{upright.width}x{upright.height}.rgb").write_bytes(upright.tobytes())

    # Orientation only in XMP (PNG iTXt "XML:com.adobe.xmp"), which PIL 9.4 also honours; one plain, one zipped.
    from PIL.PngImagePlugin import PngInfo
    for value, zipped in ((8, False), (3, True)):
        xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="%d"/>'
               '</rdf:RDF></x:xmpmeta>' % value)
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp, zip=zipped)
        name = f"xmp_orientation{value}.png"
        pattern.save(OUT / name, pnginfo=info)
        with Image.open(OUT / name) as im:
            upright = ImageOps.exif_transpose(im).convert("RGB")
        assert upright.size != pattern.size or value == 3
        (OUT / f"{name}.{upright.width}x{upright.height}.rgb").write_bytes(upright.tobytes())

    # Orientation 6 only in an ImageMagick-style "Raw profile type exif" zTXt chunk (hex lines), which PIL reads.
    exif = Image.Exif()
    exif[0x0112] = 6
    raw = exif.tobytes()
    hexed = raw.hex()
    profile = "\nexif\n%8d\n" % len(raw) + "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\n"
    info = PngInfo()
    info.add_text("Raw profile type exif", profile, zip=True)
    pattern.save(OUT / "rawprofile_orientation6.png", pnginfo=info)
    with Image.open(OUT / "rawprofile_orientation6.png") as im:
        upright = ImageOps.exif_transpose(im).convert("RGB")
    assert upright.size == (5, 7), upright.size
    (OUT / "rawprofile_orientation6.png.5x7.rgb").write_bytes(upright.tobytes())

    # 16-bit BMP (RGB 565 bit fields), written by hand as PIL cannot write one; every 5/6-bit level occurs.
    rgb565 = np.zeros((64, 32), dtype=np.uint16)
    for y in range(64):
        for x in range(32):
            rgb565[y, x] = (x << 11) | (y << 5) | ((x + y) % 32)
    row_bytes = (32 * 2 + 3) // 4 * 4
    pixels = b"".join(rgb565[y].astype("<u2").tobytes().ljust(row_bytes, b"\0") for y in range(63, -1, -1))
    offset = 14 + 40 + 12
    header = b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset)
    info = struct.pack("<IiiHHIIiiII", 40, 32, 64, 1, 16, 3, len(pixels), 2835, 2835, 0, 0)
    masks = struct.pack("<III", 0xF800, 0x07E0, 0x001F)
    (OUT / "rgb565.bmp").write_bytes(header + info + masks + pixels)
    with Image.open(OUT / "rgb565.bmp") as im:
        (OUT / "rgb565.bmp.32x64.rgb").write_bytes(im.convert("RGB").tobytes())

    # 24-bit BMP, small.
    Image.open(SKIMAGE / "coffee.png").convert("RGB").resize((160, 107), Image.BILINEAR).save(OUT / "coffee.bmp")
    made.append("coffee.bmp")
    return made


# Synthetic raw RGB frames (seeded noise on a gradient) for the corners the photos do not reach: upscaling, no
# resize with zero padding, odd sizes. name -> (width, height, resize, crop); resize None means no Resize.
SYNTHETIC = {
    "synthetic_37x90": (37, 90, None, 64),
    "synthetic_33x40": (33, 40, 64, 56),
    "synthetic_97x61": (97, 61, 40, 33),
    "synthetic_61x97": (61, 97, (50, 50), 45),
}


def make_synthetic():
    rng = np.random.default_rng(42)
    for name, (w, h, resize, crop) in SYNTHETIC.items():
        xx = np.tile(np.arange(w), (h, 1))
        base = (np.sin(xx / 5.0) * 90 + 120).astype(np.int32)[..., None]
        noise = rng.integers(0, 64, (h, w, 3))
        rgb = ((base + noise) % 256).astype(np.uint8)
        with gzip.GzipFile(OUT / f"{name}.rgb.gz", "wb", mtime=0) as f:
            f.write(rgb.tobytes())
        write_reference(OUT / f"{name}.bin.gz", reference_of(Image.fromarray(rgb, "RGB"), resize, crop))


def reference(path, resize, crop):
    with Image.open(path) as im:
        return reference_of(ImageOps.exif_transpose(im).convert("RGB"), resize, crop)


def reference_of(im, resize, crop):
    steps = [] if resize is None else [transforms.Resize(resize)]
    tensor = transforms.Compose(steps + [
        transforms.CenterCrop(crop),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])(im)
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    u8 = torch.round((tensor * std + mean) * 255.0).to(torch.int64)
    assert int(u8.min()) >= 0 and int(u8.max()) <= 255
    rebuilt = (u8.to(torch.float32) / 255.0 - mean) / std
    err = float((rebuilt - tensor).abs().max())
    assert err < 1e-6, f"tensor is not an 8-bit crop ({err})"
    MAX_REBUILD_ERROR[0] = max(MAX_REBUILD_ERROR[0], err)
    return u8.to(torch.uint8).numpy()


def write_reference(path, chw):
    c, h, w = chw.shape
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(b"EDGEREF1")
        f.write(struct.pack(">iii", c, h, w))
        f.write(np.ascontiguousarray(chw).tobytes())


def main():
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, PIL {Image.__version__}")
    total = 0
    for name in make_images():
        path = OUT / name
        total += path.stat().st_size
        for tname, (resize, crop) in TRANSFORMS.items():
            if not isinstance(resize, int) and name not in EXACT_IMAGES:
                continue
            if name in ONLY_224 and tname != "r256c224":
                continue
            ref = OUT / f"{name}.{tname}.bin.gz"
            write_reference(ref, reference(path, resize, crop))
            total += ref.stat().st_size
        if name in DECODED:
            with Image.open(path) as im:
                rgb = ImageOps.exif_transpose(im).convert("RGB")
            with gzip.GzipFile(OUT / f"{name}.decoded.rgb.gz", "wb", mtime=0) as f:
                f.write(rgb.tobytes())
        print(f"{name}: {path.stat().st_size} bytes")
    make_synthetic()
    total = sum(f.stat().st_size for f in OUT.iterdir())
    print(f"fixtures total {total} bytes; max |rebuilt - torchvision| = {MAX_REBUILD_ERROR[0]}")


if __name__ == "__main__":
    sys.exit(main())

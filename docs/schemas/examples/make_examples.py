#!/usr/bin/python3
"""Writes the example payloads and model card in this folder (run: /usr/bin/python3 make_examples.py).

Deterministic: the embedded JPEG is a 16x16 gradient encoded by Pillow at quality 75, so its
base64 and SHA-256 are reproducible. The example Ed25519 signature is 64 fixed bytes: it shows
the format only and does not verify against any key.
"""
import base64
import hashlib
import io
import json
import os

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def tiny_jpeg():
    img = Image.new("RGB", (16, 16))
    img.putdata([(x * 16, y * 16, 128) for y in range(16) for x in range(16)])
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    return buf.getvalue()


def write(name, obj):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


jpeg = tiny_jpeg()
jpeg_b64 = base64.b64encode(jpeg).decode("ascii")
jpeg_sha = hashlib.sha256(jpeg).hexdigest()
model_sha = hashlib.sha256(b"example model bytes").hexdigest()
base_sha = hashlib.sha256(b"example base model bytes").hexdigest()
model = {"name": "flowers", "version": "2026.11.28-1"}

card = {
    "schema": 1,
    "name": "flowers",
    "version": "2026.11.28-1",
    "created": "2026-11-28T18:00:00Z",
    "labels": ["daisy", "dandelion", "rose", "sunflower", "tulip"],
    "input": {"name": "input", "shape": [-1, 3, 224, 224]},
    "preprocessing": {
        "resize": "SHORTER_SIDE", "resizeSize": 256, "cropSize": 224,
        "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
        "valueScale": 1.0 / 255.0, "colourOrder": "RGB",
    },
    "output": {"kind": "logits", "name": "logits", "probabilities": "probabilities"},
    "temperature": 1.38,
    "thresholds": {"targetPrecision": 0.9,
                   "perClass": {"daisy": 0.41, "dandelion": 0.37, "rose": 0.58, "tulip": 0.66}},
    "baseModel": {"name": "mobilenet_v2", "sha256": base_sha},
    "trainingData": "sha256:" + hashlib.sha256(b"example training data listing").hexdigest(),
    "metrics": {"val_accuracy": 0.931, "val_loss": 0.214, "val_ece": 0.018},
    "notes": {"strategy": "last-layer", "trainer": "edgeloop-trainer 0.1.0", "seed": "42"},
}
write("model-card.json", card)

# the same model after trainer quantize: the card is kept, the version marked, both accuracies recorded
write("model-card-int8.json", dict(card, version="2026.11.28-1-int8", quantization={
    "scheme": "int8-qdq", "method": "entropy", "calibrationImages": 300, "validationImages": 200,
    "fp32Accuracy": 0.93, "int8Accuracy": 0.925, "agreement": 0.985, "sourceSha256": model_sha,
}))

write("device-status.json", {
    "schema": 1, "device": "gate-01", "state": "online",
    "at": "2026-11-28T18:05:00Z", "startedAt": "2026-11-28T18:04:58Z",
    "agentVersion": "0.1.0", "model": dict(model, sha256=model_sha), "cameras": ["front", "yard"],
    "groups": ["canary", "gates"],
})

write("device-status-offline.json", {
    "schema": 1, "device": "gate-01", "state": "offline",
    "at": "2026-11-28T18:05:00Z", "startedAt": "2026-11-28T18:04:58Z",
    "agentVersion": "0.1.0", "model": dict(model, sha256=model_sha), "cameras": ["front", "yard"],
})

event = {
    "schema": 1, "device": "gate-01", "camera": "front", "seq": 1842,
    "capturedAt": "2026-11-28T18:06:01.250Z", "publishedAt": "2026-11-28T18:06:01.262Z",
    "model": dict(model, sha256=model_sha), "label": "rose", "unknown": False, "minConfidence": 0.5,
    "top": [{"label": "rose", "score": 0.91}, {"label": "tulip", "score": 0.06},
            {"label": "daisy", "score": 0.02}],
    "latency": {"decodeMs": 2.1, "preprocessMs": 0.6, "inferenceMs": 4.4},
}
write("classification-event.json", event)
write("classification-event-unknown-thumbnail.json", dict(
    event, seq=1843, capturedAt="2026-11-28T18:06:01.350Z", publishedAt="2026-11-28T18:06:01.361Z",
    label="tulip", unknown=True,
    top=[{"label": "tulip", "score": 0.41}, {"label": "rose", "score": 0.38},
         {"label": "daisy", "score": 0.12}],
    thumbnail=jpeg_b64))

write("device-metrics.json", {
    "schema": 1, "device": "gate-01", "at": "2026-11-28T18:07:00Z", "uptimeS": 122,
    "cameras": [
        {"camera": "front", "fps": 9.8, "frames": 1190, "drops": 3, "rejected": 1,
         "latencyP50Ms": 8.2, "latencyP95Ms": 12.9},
        {"camera": "yard", "fps": 5.0, "frames": 610, "drops": 0, "rejected": 0,
         "latencyP50Ms": 7.9, "latencyP95Ms": 11.0},
    ],
    "queueDepth": 1, "cpuLoad": 0.42, "rssBytes": 118489088,
    "spoolMessages": 0, "spoolBytes": 0, "spoolDropped": 0, "reconnects": 1,
})

write("device-metrics-predictions.json", {
    "schema": 1, "device": "gate-01", "at": "2026-11-28T18:08:00Z", "uptimeS": 182,
    "cameras": [
        {"camera": "front", "fps": 9.9, "frames": 1784, "drops": 3, "rejected": 1,
         "latencyP50Ms": 8.1, "latencyP95Ms": 12.4,
         "predictions": {
             "model": model, "intervalS": 60.0, "frames": 594,
             "classes": {"daisy": 41, "rose": 233, "tulip": 320},
             "confidence": [0, 0, 0, 2, 9, 25, 48, 96, 171, 243],
             "meanConfidence": 0.842}},
    ],
    "queueDepth": 0, "cpuLoad": 0.31, "rssBytes": 118489088,
    "spoolMessages": 0, "spoolBytes": 0, "spoolDropped": 0, "reconnects": 1,
})

write("hard-example.json", {
    "schema": 1, "device": "gate-01", "camera": "front", "seq": 1843,
    "capturedAt": "2026-11-28T18:06:01.350Z", "model": dict(model, sha256=model_sha), "reason": "margin",
    "top": [{"label": "tulip", "score": 0.41}, {"label": "rose", "score": 0.38}],
    "image": jpeg_b64, "imageSha256": jpeg_sha,
})

# a random audit sample of a confident frame: the model is measured where it is sure
write("hard-example-audit.json", {
    "schema": 1, "device": "gate-01", "camera": "yard", "seq": 52210,
    "capturedAt": "2026-11-28T19:40:12.100Z", "model": dict(model, sha256=model_sha), "reason": "audit",
    "top": [{"label": "daisy", "score": 0.97}, {"label": "dandelion", "score": 0.02}],
    "image": jpeg_b64, "imageSha256": jpeg_sha, "reasons": ["audit"],
})

# several selectors fired; the reason is the first of them in the agent's selector order
write("hard-example-several-reasons.json", {
    "schema": 1, "device": "gate-01", "camera": "front", "seq": 1907,
    "capturedAt": "2026-11-28T18:07:30.050Z", "model": dict(model, sha256=model_sha), "reason": "class",
    "top": [{"label": "rose", "score": 0.44}, {"label": "tulip", "score": 0.41}, {"label": "daisy", "score": 0.1}],
    "image": jpeg_b64, "imageSha256": jpeg_sha, "reasons": ["class", "low-confidence", "margin", "entropy"],
})

write("deploy-command.json", {
    "schema": 1, "name": "flowers", "version": "2026.11.28-1", "issuedAt": "2026-11-28T18:10:00Z",
    "url": "https://models.example.com/flowers/2026.11.28-1/model.onnx",
    "sha256": model_sha, "sizeBytes": 9094352,
    "signature": base64.b64encode(bytes(range(64))).decode("ascii"), "keyId": "release-2026",
})

write("deploy-status.json", {
    "schema": 1, "device": "gate-01", "model": dict(model, sha256=model_sha), "state": "active",
    "at": "2026-11-28T18:10:09Z",
})

write("deploy-status-rejected.json", {
    "schema": 1, "device": "gate-01", "model": dict(model, sha256=model_sha), "state": "rejected",
    "reason": "signature does not verify with key release-2026", "at": "2026-11-28T18:10:04Z",
})

# a shadow deploy: the candidate runs beside the active model on half the frames for ten minutes
write("deploy-command-shadow.json", {
    "schema": 1, "name": "flowers", "version": "2026.12.07-1", "issuedAt": "2026-12-07T09:00:00Z",
    "url": "https://models.example.com/flowers/2026.12.07-1/model.onnx",
    "sha256": model_sha, "sizeBytes": 9094352,
    "signature": base64.b64encode(bytes(range(64))).decode("ascii"), "keyId": "release-2026",
    "shadow": {"rate": 0.5, "seconds": 600, "minAgreement": 0.95, "minFrames": 200, "reportSeconds": 30},
})

# ends that shadow early (trainer deploy --abort): the same model and signature, a later issuedAt
write("deploy-command-end.json", {
    "schema": 1, "name": "flowers", "version": "2026.12.07-1", "issuedAt": "2026-12-07T09:04:00Z",
    "url": "https://models.example.com/flowers/2026.12.07-1/model.onnx",
    "sha256": model_sha, "sizeBytes": 9094352,
    "signature": base64.b64encode(bytes(range(64))).decode("ascii"), "keyId": "release-2026",
    "end": "abort",
})

shadow_labels = ["daisy", "rose", "tulip"]
write("deploy-status-shadowing.json", {
    "schema": 1, "device": "gate-01", "model": {"name": "flowers", "version": "2026.12.07-1", "sha256": model_sha},
    "state": "shadowing", "at": "2026-12-07T09:02:00Z",
    "shadow": {
        "compared": 120, "skipped": 2, "agreement": 0.975,
        "perClass": {"daisy": {"frames": 70, "agreement": 1.0}, "rose": {"frames": 40, "agreement": 0.95},
                     "tulip": {"frames": 10, "agreement": 0.9}},
        "labels": shadow_labels,
        "confusion": [[70, 0, 0], [0, 38, 2], [0, 1, 9]],
    },
})

write("deploy-status-shadow-dropped.json", {
    "schema": 1, "device": "gate-01", "model": {"name": "flowers", "version": "2026.12.07-1", "sha256": model_sha},
    "state": "shadow-dropped",
    "reason": "agreement 0.600 over 200 frames, below the required 0.950",
    "at": "2026-12-07T09:10:00Z",
    "shadow": {
        "compared": 200, "skipped": 0, "agreement": 0.6,
        "perClass": {"daisy": {"frames": 100, "agreement": 0.6}, "rose": {"frames": 60, "agreement": 0.5},
                     "tulip": {"frames": 40, "agreement": 0.75}},
        "labels": shadow_labels,
        "confusion": [[60, 40, 0], [30, 30, 0], [0, 10, 30]],
    },
})

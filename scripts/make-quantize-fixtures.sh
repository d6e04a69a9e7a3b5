#!/bin/sh
# Makes the quantisation test fixtures with the trainer itself, on the committed Fashion-MNIST target sample:
#   trainer/src/test/resources/quantize/fashion-target-fp32.onnx  fp32 package: the committed base fine-tuned
#       (full, 12 epochs, no augmentation) on data/fashion-mnist-target/train, validated on .../test (400 images)
#   edge-agent/src/test/resources/quantize/fashion-target-int8.onnx  that package after 'trainer quantize'
#       (minmax, calibrated on the 160 training images, both accuracies measured on the 400 test images)
# Usage: scripts/make-quantize-fixtures.sh   (from anywhere; about 3 minutes on 2 busy cores)
# Training is seeded but not bit-reproducible (multithreaded float reductions): a rerun gives a slightly
# different fp32 package, so rerun both steps together and update the figures the tests pin, if any.
set -eu
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/edgeloop-quantize-fixtures-XXXXXX)
./mvnw -B -q -pl trainer -am -DskipTests package
T="java -Dai.djl.offline=true -jar trainer/target/trainer.jar"
$T fit --base models/base/model.onnx --data data/fashion-mnist-target/train --val data/fashion-mnist-target/test \
    --out "$work/fp32" --strategy full --epochs 12 --no-augment --lr 0.005 --seed 42 \
    --name fashion-target --model-version 1
$T quantize --model "$work/fp32/model.onnx" --calib data/fashion-mnist-target/train \
    --val data/fashion-mnist-target/test --method minmax --out "$work/int8"
mkdir -p trainer/src/test/resources/quantize edge-agent/src/test/resources/quantize
cp "$work/fp32/model.onnx" trainer/src/test/resources/quantize/fashion-target-fp32.onnx
cp "$work/int8/model.onnx" edge-agent/src/test/resources/quantize/fashion-target-int8.onnx
ls -l trainer/src/test/resources/quantize/fashion-target-fp32.onnx edge-agent/src/test/resources/quantize/fashion-target-int8.onnx
echo "work folder (reports, logs): $work"

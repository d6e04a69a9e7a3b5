#!/bin/sh
# int8 vs fp32, MobileNetV2 224x224, one ORT thread (docs/quantization.md).
# No ImageNet MobileNetV2 can be downloaded here, so the trainer makes one:
# 'trainer init' (MobileNetV2, seeded random init, 4 classes), 'trainer fit
# --strategy full' on the committed Fashion-MNIST target sample upsampled to
# 224, 'trainer quantize' (calibrated on its 160 training images, accuracy on
# the 400 test images), then Int8Benchmark (fp32 and int8 interleaved).
# Usage: scripts/make-int8-bench-model.sh [--work DIR] [--epochs N]
#            [--method M] [--rounds R]
# Models (9 MB fp32) stay in --work (default /tmp/edgeloop-int8-bench).
# 5 minutes on an idle 2-core machine (fit: 10 s per epoch; 3 min under load).
set -eu
cd "$(dirname "$0")/.."
work=/tmp/edgeloop-int8-bench
epochs=10
method=minmax
rounds=7
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --method) method=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --help|-h) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "make-int8-bench-model.sh: unknown option '$1', allowed --work, --epochs, --method, --rounds," \
               "--help" >&2; exit 2 ;;
    esac
done
mkdir -p "$work"
./mvnw -B -q -pl trainer -am -DskipTests package
T="java -Dai.djl.offline=true -jar trainer/target/trainer.jar"
[ -f "$work/init.onnx" ] || $T init --arch mobilenetv2 --image-size 224 --classes 4 --seed 42 --out "$work/init.onnx"
if [ ! -f "$work/fit/model.onnx" ]; then
    rm -rf "$work/fit"
    $T fit --base "$work/init.onnx" --data data/fashion-mnist-target/train --out "$work/fit" --strategy full \
        --epochs "$epochs" --patience "$epochs" --batch-size 8 --warmup-epochs 0 --no-augment --lr 0.002 \
        --resize 224 --crop 224 --seed 42 --name fashion-mnv2 --model-version 2
fi
# --force: the benchmark reports the drop either way; the gate's verdict is printed by quantize
$T quantize --model "$work/fit" --calib data/fashion-mnist-target/train --val data/fashion-mnist-target/test \
    --method "$method" --out "$work/int8" --force
./mvnw -B -q -pl trainer -am test -Dtest=Int8Benchmark -DexcludedTestGroups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbench.fp32="$work/fit/model.onnx" \
    -Dbench.int8="$work/int8/model.onnx" -Dbench.images="$PWD/data/fashion-mnist-target/test" \
    -Dbench.rounds="$rounds" -Dbench.runs=100

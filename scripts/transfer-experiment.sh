#!/usr/bin/env bash
# Reproduces the transfer-learning experiment of docs/transfer-learning.md in one command, from the repository root:
#
#   scripts/transfer-experiment.sh             # the measured grid (about 1.5 CPU-hours on this project's machine)
#   scripts/transfer-experiment.sh --pretrain  # first re-create models/base/model.onnx exactly as its README says
#
# Needs Java 17 and Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist); runs offline. Finished runs
# are appended to docs/transfer-learning/results.csv as they end and skipped when the script runs again, so an
# interrupted experiment continues where it stopped; delete that file to start over. Each step rewrites
# docs/transfer-learning/summary.md and accuracy.png from every recorded run.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl trainer -am -DskipTests package
TRAINER=(java -Dai.djl.offline=true -Djava.awt.headless=true -jar trainer/target/trainer.jar)

if [[ "${1:-}" == "--pretrain" ]]; then
  "${TRAINER[@]}" pretrain --arch simplecnn --width 0.5 --image-size 28 --source fashion-mnist-source \
    --epochs 1 --batch-size 64 --lr 0.002 --seed 42 --work target/pretrain-work --out models/base/
fi

COMMON=(experiment --base models/base/model.onnx --val-per-class 25 --lr 0.005 --backbone-lr-factor 0.1
  --freeze-fraction 0.5 --patience 5 --work target/experiment-work --out docs/transfer-learning)

# few images: 3 seeds, batch 16
"${TRAINER[@]}" "${COMMON[@]}" --sizes 5:20,20:20,100:8 --seeds 1,2,3 --batch-size 16
# 500 per class: 3 seeds, 2 epochs, batch 32
"${TRAINER[@]}" "${COMMON[@]}" --sizes 500:2 --seeds 1,2,3 --batch-size 32
# every training image (5,975 per class after the validation hold-out): 1 seed, 1 epoch, batch 32
"${TRAINER[@]}" "${COMMON[@]}" --sizes all:1 --seeds 1 --strategies head,full,scratch,partial --batch-size 32

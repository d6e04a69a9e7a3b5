#!/usr/bin/env bash
# Reproduces the transfer-learning experiment of docs/transfer-learning.md in one command, from the repository root:
#
#   scripts/transfer-experiment.sh             # the measured grid (~10 min on an idle 2-core CPU; hours under load)
#   scripts/transfer-experiment.sh --pretrain  # first re-create models/base/model.onnx exactly as its README says
#
# Needs Java 17 and Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist); runs offline. Finished runs
# are appended to docs/transfer-learning/results.csv as they end and skipped when the script runs again, so an
# interrupted experiment continues where it stopped; delete that file to start over. Each step rewrites
# docs/transfer-learning/summary.md and accuracy.png from every recorded run.
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."

./mvnw -B -q -pl trainer -am -DskipTests package
TRAINER=(java -Dai.djl.offline=true -Djava.awt.headless=true -jar trainer/target/trainer.jar)

if [[ "${1:-}" == "--pretrain" ]]; then
  "${TRAINER[@]}" pretrain --arch simplecnn --width 0.5 --image-size 28 --source fashion-mnist-source \
    --epochs 1 --batch-size 64 --lr 0.002 --seed 42 --work target/pretrain-work --out models/base/
fi

COMMON=(experiment --base models/base/model.onnx --val-per-class 25 --lr 0.005 --backbone-lr-factor 0.1
  --freeze-fraction 0.5 --patience 5 --work target/experiment-work --out docs/transfer-learning)

# 5, 20, 100 images per class: batch 16 (seeds outermost: seed 1 at every size first)
"${TRAINER[@]}" "${COMMON[@]}" --sizes 5:20,20:15,100:10 --seeds 1,2,3,4,5 --batch-size 16
# 500 and all (5,975) images per class: batch 32
"${TRAINER[@]}" "${COMMON[@]}" --sizes 500:5,all:3 --seeds 1,2,3,4,5 --batch-size 32
# 1 and 2 images per class: batch 16
"${TRAINER[@]}" "${COMMON[@]}" --sizes 1:20,2:20 --seeds 1,2,3,4,5 --batch-size 16

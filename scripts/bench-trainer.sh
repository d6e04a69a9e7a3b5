#!/bin/sh
# Trainer training-speed benchmark vs PyTorch eager (see docs/benchmarks.md). Run from anywhere:
#   scripts/bench-trainer.sh [--threads N] [--rounds R] [--steps S] [--warmup W] [--strategies head,head-cached,full]
#                            [--separate-ops] [--profile DIR] [--help]
# Compiles the trainer's test classes (no install), then runs io.edgeloop.trainer.bench.TrainingBenchmark offline;
# the benchmark starts the PyTorch reference (/usr/bin/python3 trainer/src/test/python/bench_pytorch.py) itself.
#
# glibc malloc: the JVM runs `main` on a secondary thread, whose malloc arena gives large freed blocks (activations,
# gradients: tens of MB each) back to the kernel, so every training step page-faults them in again (measured here:
# 1x1/depthwise conv forward+backward up to 2x slower). These settings keep freed memory in the process; both sides
# (the Python child inherits them) run with the same ones. BENCH_MALLOC=default keeps glibc's defaults instead.
set -eu
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."
if [ "${BENCH_MALLOC:-tuned}" = tuned ]; then
    export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456
fi
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -pl trainer -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
java -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} \
    -cp "trainer/target/test-classes:trainer/target/classes:$(cat "$cp_file")" \
    io.edgeloop.trainer.bench.TrainingBenchmark "$@"
